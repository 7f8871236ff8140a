package fr.relais.cli;

import fr.relais.Hub;
import fr.relais.config.ConfigException;
import fr.relais.config.RelaisConfig;
import fr.relais.logging.LogSetup;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/** Runs the hub until SIGTERM or SIGINT, then stops it gracefully and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the hub (the default command).")
public final class ServeCommand implements Callable<Integer> {
    /** The exit code that tells {@code main} to leave the JVM running: the hub's threads keep it alive. */
    public static final int KEEP_RUNNING = -1;
    static final int CONFIG_ERROR = 2;
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
        return serve(config);
    }

    static int serve(ConfigOptions options) {
        RelaisConfig config;
        try {
            config = options.load();
        } catch (ConfigException e) {
            System.err.println("relais: " + e.getMessage());
            return CONFIG_ERROR;
        }
        LogSetup.apply(config.log());
        Hub hub;
        try {
            hub = Hub.start(config, options.clock());
        } catch (Exception e) { // Future.await throws checked failures too
            if (addressInUse(e)) {
                System.err.println("relais: http.port = " + config.http().port() + " is already in use on "
                        + config.http().host() + " (another Relais, or another server, listens there): stop it, or set "
                        + "http.port (RELAIS_HTTP_PORT) to a free port");
                return CONFIG_ERROR;
            }
            log.error("Relais could not start: {}", e.getMessage(), e);
            return 1;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        // Handling the signals ourselves (rather than in a shutdown hook) lets a requested stop exit with 0.
        Signal.handle(new Signal("TERM"), signal -> stopOnce(hub, stopping));
        Signal.handle(new Signal("INT"), signal -> stopOnce(hub, stopping));
        System.out.println("Relais is running at http://localhost:" + hub.httpPort() + "/  (Ctrl-C or SIGTERM stops it)");
        System.out.flush();
        return KEEP_RUNNING;
    }

    /** Whether start-up failed because the HTTP port is taken (the JDK's and Netty's native transports say it differently). */
    private static boolean addressInUse(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException
                    || cause.getMessage() != null && cause.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static void stopOnce(Hub hub, AtomicBoolean stopping) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        log.info("stop requested: draining");
        Thread stopper = new Thread(() -> {
            try {
                hub.stop().await();
                log.info("Relais stopped");
            } catch (Exception e) {
                log.error("stop failed", e);
            } finally {
                System.exit(0);
            }
        }, "relais-stop");
        stopper.start();
    }
}

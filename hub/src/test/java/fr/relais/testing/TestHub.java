package fr.relais.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import fr.relais.Hub;
import fr.relais.config.ConfigLoader;
import fr.relais.config.RelaisConfig;
import fr.relais.db.DatabaseEndpoint;
import java.time.Duration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real hub for a test class: started on a free port against a fresh database of the shared embedded
 * PostgreSQL, with a GreenMail SMTP server beside it; stopped after the class.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final TestHub hub = TestHub.create();
 * </pre>
 */
public final class TestHub implements BeforeAllCallback, AfterAllCallback {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> overrides = new HashMap<>();
    private final TestClock clock = new TestClock();
    private Hub hub;
    private GreenMail mail;
    private SmscSimulator smsc;
    private int smtpPort;
    private HttpTestClient http;

    private TestHub() {
        overrides.put("http.port", "0");
        overrides.put("http.host", "127.0.0.1");
        overrides.put("http.instances", "2");
        overrides.put("http.shutdownGrace", "2s");
        // cheaper hashing keeps the suite fast; the algorithm and the code path stay the real ones
        overrides.put("auth.argon2.memory", "4MiB");
        overrides.put("auth.argon2.iterations", "1");
    }

    public static TestHub create() {
        return new TestHub();
    }

    /** Sets a configuration key for this class's hub, as {@code conf/relais.yaml} would. */
    public TestHub with(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // a port below the ephemeral range: while the server is stopped (outage tests), a client connecting to a
        // port of that range can be given the same port as its own source and connect to itself, then wait forever
        mail = new GreenMail(new ServerSetup(portBelowEphemeralRange(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        smsc = new SmscSimulator();
        String name = context.getRequiredTestClass().getSimpleName();
        DatabaseEndpoint database = TestPostgres.newDatabase(name);
        overrides.putIfAbsent("secrets.dir", "target/test-secrets/" + database.database());
        // the database is new at every run, so its checkpoints must be too: an old file would (rightly) not verify
        overrides.putIfAbsent("audit.checkpointDir", "target/test-audit/" + database.database() + "-" + java.util.UUID.randomUUID());
        overrides.put("mail.transport", "smtp");
        overrides.put("mail.host", "127.0.0.1");
        overrides.put("mail.port", String.valueOf(mail.getSmtp().getPort()));
        overrides.put("sms.transport", "smpp");
        overrides.put("sms.smpp.host", "127.0.0.1");
        overrides.put("sms.smpp.port", String.valueOf(smsc.port()));
        overrides.put("sms.smpp.systemId", SmscSimulator.SYSTEM_ID);
        overrides.put("sms.smpp.password", SmscSimulator.PASSWORD);
        overrides.putIfAbsent("db.url", "postgresql://" + database.host() + ":" + database.port() + "/" + database.database());
        overrides.putIfAbsent("db.user", database.user());
        overrides.putIfAbsent("db.password", database.password());
        hub = Hub.start(config(), clock);
        http = new HttpTestClient("http://127.0.0.1:" + hub.httpPort(), hub.httpPort());
        awaitFirstPlanning();
    }

    /**
     * The hub plans every patient's reminders once at its start: a patient created while that first run reads the
     * accounts would get overdue vaccination reminders in their stream at a moment no test chose.
     */
    private void awaitFirstPlanning() {
        Eventually.await("the first planning of reminders", java.time.Duration.ofSeconds(30),
                () -> hub.jobs().report().stream().filter(job -> job.name().equals("agenda.planning"))
                        .mapToLong(job -> job.runs()).sum(), runs -> runs >= 1);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (hub != null) {
            hub.stop().await(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        if (mail != null) {
            mail.stop();
        }
        if (smsc != null) {
            smsc.close();
        }
    }

    /**
     * Stops the hub (sockets get 1001), runs {@code whileStopped}, and starts it again on the same database and
     * port, as an operator's restart would.
     */
    public void restart(Runnable whileStopped) throws java.util.concurrent.TimeoutException {
        hub.stop().await(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        whileStopped.run();
        overrides.put("http.port", String.valueOf(http.port()));
        hub = Hub.start(config(), clock);
        http = new HttpTestClient("http://127.0.0.1:" + hub.httpPort(), hub.httpPort()); // no connection of the old hub reused
        awaitFirstPlanning();
    }

    /**
     * The settings of a second node beside this hub: the same database, master key and SMTP server, and this hub's
     * cluster ({@code cluster.members}, {@code cluster.name}), with its own Hazelcast port.
     */
    public Map<String, String> siblingSettings(int hazelcastPort) {
        Map<String, String> sibling = new HashMap<>();
        for (String key : List.of("db.url", "db.user", "db.password", "mail.transport", "mail.host", "mail.port",
                "sms.transport", "sms.smpp.host", "sms.smpp.port", "sms.smpp.systemId", "sms.smpp.password",
                "cluster.members", "cluster.name")) {
            sibling.put(key, overrides.get(key));
        }
        sibling.put("secrets.dir", Path.of(overrides.get("secrets.dir")).toAbsolutePath().toString());
        sibling.put("audit.checkpointDir", Path.of(overrides.get("audit.checkpointDir") + "-node-" + hazelcastPort)
                .toAbsolutePath().toString());
        sibling.put("http.port", "0");
        sibling.put("http.host", "127.0.0.1");
        sibling.put("cluster.enabled", "true");
        sibling.put("cluster.port", String.valueOf(hazelcastPort));
        return sibling;
    }

    public RelaisConfig config() {
        return ConfigLoader.load(Optional.empty(), Map.of(), overrides);
    }

    public Hub hub() {
        return hub;
    }

    public HttpTestClient http() {
        return http;
    }

    public int port() {
        return hub.httpPort();
    }

    public GreenMail mail() {
        return mail;
    }

    /** The SMS centre the hub sends its text messages to, over SMPP. */
    public SmscSimulator smsc() {
        return smsc;
    }

    /** Stops the SMTP server (an outage), until {@link #startMail()}. */
    public void stopMail() {
        smtpPort = mail.getSmtp().getPort();
        mail.stop();
    }

    /** A free port below the ephemeral range (see {@link Ports}). */
    public static int portBelowEphemeralRange() {
        return Ports.belowEphemeralRange();
    }

    /** Starts the SMTP server again on the same port; what it received before is gone. */
    public void startMail() {
        mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        People.forgetReadCodes(); // the new server's mailboxes start empty
        mail.start();
    }

    /** The hub's clock: move it to make codes and tokens expire. */
    public TestClock clock() {
        return clock;
    }

    /**
     * Lets the notification delay pass: moves the clock past it, scans for the events nobody acknowledged, lets the
     * dispatcher send what is due then, and moves the clock back.
     */
    public void emailWhatWasMissed() {
        awaitEventsNumbered();
        java.time.Duration pastTheDelay = config().notifications().delay().plusMinutes(1);
        clock.advance(pastTheDelay);
        try {
            hub.notifications().scanOnce().await();
            hub.dispatcher().runOnce().await();
        } finally {
            clock.advance(pastTheDelay.negated());
        }
    }

    /**
     * Waits until every committed event has its offset: a write is answered at its commit, and its events are
     * numbered by the sequencer a moment later; what reads streams directly (the digest scan) sees them then.
     */
    public void awaitEventsNumbered() {
        Eventually.await("every committed event numbered", java.time.Duration.ofSeconds(10),
                () -> sql().count("SELECT count(*) FROM stream_outbox"), n -> n == 0);
    }

    /** Creates and logs in people through the real API. */
    public People people() {
        return new People(this);
    }

    /** The hub's own database, for assertions on what was stored. */
    public SqlProbe sql() {
        return new SqlProbe(hub.database());
    }
}

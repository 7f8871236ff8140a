package fr.relais.cli;

import fr.relais.Hub;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/** The top command; without a subcommand it serves. */
@Command(name = "relais", mixinStandardHelpOptions = true, versionProvider = RelaisCommand.Version.class,
        description = "Relais, the real-time messaging hub of a personal health space.")
public final class RelaisCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    private final Clock clock;

    public RelaisCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        return ServeCommand.serve(config, clock);
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"relais " + Hub.version()};
        }
    }
}

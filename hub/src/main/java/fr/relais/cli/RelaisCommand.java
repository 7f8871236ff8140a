package fr.relais.cli;

import fr.relais.Hub;
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

    @Override
    public Integer call() {
        return ServeCommand.serve(config);
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"relais " + Hub.version()};
        }
    }
}

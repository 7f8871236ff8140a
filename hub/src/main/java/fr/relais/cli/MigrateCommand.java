package fr.relais.cli;

import fr.relais.Hub;
import fr.relais.config.ConfigException;
import fr.relais.config.RelaisConfig;
import fr.relais.logging.LogSetup;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Brings the database schema up to date and exits, for deployments that migrate before rolling out nodes. */
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply database migrations and exit.")
public final class MigrateCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
        RelaisConfig loaded;
        try {
            loaded = config.load();
        } catch (ConfigException e) {
            System.err.println("relais: " + e.getMessage());
            return ServeCommand.CONFIG_ERROR;
        }
        LogSetup.apply(loaded.log());
        String version = Hub.migrate(loaded.db());
        System.out.println("database schema at version " + version);
        return 0;
    }
}

package fr.relais.cli;

import fr.relais.Hub;
import fr.relais.audit.AuditVerifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code relais audit verify}: walks the hash chain; exit 0 if intact, 1 with the first broken row otherwise. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check the audit log.",
        subcommands = AuditCommand.Verify.class)
public final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify the audit log's hash chain.")
    static final class Verify implements Callable<Integer> {
        @Mixin ConfigOptions config;

        @Override
        public Integer call() {
            return AdminTask.run(config, hub -> hub.vertx().executeBlocking(() -> {
                var endpoint = hub.database();
                try (Connection connection = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.jdbcProperties())) {
                    return AuditVerifier.verify(connection);
                }
            }), result -> {
                if (result.intact()) {
                    System.out.println("audit chain intact: " + result.rowsChecked() + " rows");
                } else {
                    System.out.println("audit chain BROKEN: " + result.problem());
                }
            }, result -> result.intact() ? 0 : 1);
        }
    }
}

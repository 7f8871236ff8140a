package fr.relais.cli;

import fr.relais.Hub;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code relais audit verify}: checks the signed checkpoints, walks every hash chain and checks the events not chained
 * yet; prints what it noticed (rows hashed before keys, checkpoints seen), every problem, then one verdict line (with
 * how many events are pending); exit 0 if intact, 1 otherwise.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check the audit log.",
        subcommands = AuditCommand.Verify.class)
public final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify the audit log's keyed hash chains, signed checkpoints and pending events (needs the master key).")
    static final class Verify implements Callable<Integer> {
        @Mixin ConfigOptions config;

        @Override
        public Integer call() {
            return AdminTask.run(config, hub -> hub.vertx().executeBlocking(() -> {
                var endpoint = hub.database();
                try (Connection connection = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.jdbcProperties())) {
                    return hub.audit().verifier().verify(connection);
                }
            }), result -> {
                result.notes().forEach(System.out::println);
                result.problems().forEach(problem -> System.out.println("problem: " + problem));
                System.out.println(result.verdict());
            }, result -> result.intact() ? 0 : 1);
        }
    }
}

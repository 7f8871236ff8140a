package fr.relais.testing;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.db.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server for the whole test JVM, started on first use and stopped when the JVM exits.
 * Each test class gets a database of its own, so classes never see each other's rows.
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            server = EmbeddedPostgres.start(Path.of("target", "test-postgres"), 0);
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-postgres-stop"));
        }
        return server;
    }

    /** A new, empty database. */
    public static DatabaseEndpoint newDatabase(String purpose) {
        String name = "t" + DATABASES.incrementAndGet() + "_" + purpose.toLowerCase().replaceAll("[^a-z0-9]+", "_");
        String bounded = name.length() > 60 ? name.substring(0, 60) : name;
        EmbeddedPostgres pg = server();
        pg.dropDatabase(bounded);
        return pg.endpoint(bounded);
    }
}

package fr.relais.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the numbered SQL files under {@code db/migration} with Flyway. Blocking: call it off the event loop. */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /** Brings the schema up to date and returns the version it is at. */
    public static String migrate(DatabaseEndpoint endpoint) {
        Flyway flyway = Flyway.configure()
                .dataSource(endpoint.jdbcUrl(), endpoint.user(), endpoint.password())
                .jdbcProperties(jdbcPropertiesOf(endpoint))
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load();
        MigrateResult result = flyway.migrate();
        String version = flyway.info().current() == null ? "none" : flyway.info().current().getVersion().getVersion();
        log.info("database schema at version {} ({} migration(s) applied now)", version, result.migrationsExecuted);
        return version;
    }

    private static java.util.Map<String, String> jdbcPropertiesOf(DatabaseEndpoint endpoint) {
        java.util.Map<String, String> map = new java.util.HashMap<>();
        endpoint.jdbcProperties().forEach((k, v) -> map.put(k.toString(), v.toString()));
        map.remove("user");
        map.remove("password");
        return map;
    }
}

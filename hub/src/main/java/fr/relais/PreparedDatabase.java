package fr.relais;

import fr.relais.config.DbConfig;
import fr.relais.db.DatabaseEndpoint;
import fr.relais.db.Migrations;
import fr.relais.db.embedded.EmbeddedPostgres;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database ready for the hub: the embedded server started when no URL is configured, and the schema migrated.
 * Blocking: open it off the event loop.
 */
record PreparedDatabase(Optional<EmbeddedPostgres> embedded, DatabaseEndpoint endpoint, String schemaVersion) {
    private static final Logger log = LoggerFactory.getLogger(PreparedDatabase.class);

    static PreparedDatabase open(DbConfig db) {
        Optional<EmbeddedPostgres> embedded = db.url().isEmpty()
                ? Optional.of(EmbeddedPostgres.start(db.embedded().dir(), db.embedded().port()))
                : Optional.empty();
        try {
            DatabaseEndpoint endpoint = embedded.map(pg -> pg.endpoint(db.embedded().database()))
                    .or(db::external).orElseThrow();
            log.info("database {}", endpoint);
            return new PreparedDatabase(embedded, endpoint, Migrations.migrate(endpoint));
        } catch (RuntimeException e) {
            embedded.ifPresent(EmbeddedPostgres::stop);
            throw e;
        }
    }

    /** Stops the embedded server (for the serving node, which owns it). */
    void close() {
        embedded.ifPresent(EmbeddedPostgres::stop);
    }

    /** Stops the embedded server if this command started it, leaving a serving node's server running. */
    void release() {
        embedded.ifPresent(EmbeddedPostgres::stopIfStartedHere);
    }
}

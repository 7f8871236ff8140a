package fr.relais.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.testing.Eventually;
import fr.relais.testing.TestHub;
import fr.relais.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A log written before audit rows were keyed (schema before V11), then a hub of this version started on it:
 * {@code relais audit verify} accepts the old rows, says which ones are only unkeyed, and once the hub has taken its
 * first checkpoint, that checkpoint vouches for them.
 */
class AuditUpgradeTest {
    private static final short CHAIN = 5;
    private static final int OLD_ROWS = 3;
    private static final DatabaseEndpoint DB = databaseWrittenTheOldWay();

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("db.url", "postgresql://" + DB.host() + ":" + DB.port() + "/" + DB.database())
            .with("db.user", DB.user()).with("db.password", DB.password())
            .with("audit.checkpointEvery", "1m");

    @Test
    void rowsHashedBeforeKeysAreNamedThenSealedByTheFirstCheckpoint() throws Exception {
        String before = verify(0);
        assertTrue(before.contains("chain 5, rows 1-3: hashed without a key (written before keyed hashing); "
                + "rows 1-3 are vouched for by nothing yet"), before);
        assertTrue(before.endsWith("audit chain intact: 3 rows, 3 of them unkeyed (see above); 0 event(s) pending; 0 checkpoint(s) verified"), before);

        hub.clock().advance(Duration.ofMinutes(1));
        Eventually.await("the hub's first checkpoint", Duration.ofSeconds(20),
                () -> hub.sql().count("SELECT count(*) FROM audit_checkpoint"), count -> count == 1);
        String after = verify(0);
        assertTrue(after.contains("chain 5, rows 1-3: hashed without a key (written before keyed hashing); "
                + "a later keyed row or a checkpoint vouches for them"), after);
        assertTrue(after.endsWith("audit chain intact: 3 rows, 3 of them unkeyed (see above); 0 event(s) pending; 1 checkpoint(s) verified"), after);

        new AuditTampering(DB).rewriteOutcome(CHAIN, 1, "failure", false);
        String tampered = verify(1);
        assertTrue(tampered.lines().reduce((a, b) -> b).orElse("")
                .startsWith("audit chain BROKEN: chain 5, row 3 is not the row checkpoint "), tampered);
    }

    /** A database at the last schema before V11, with rows as the hub wrote them then: plain SHA-256, raw ids. */
    private static DatabaseEndpoint databaseWrittenTheOldWay() {
        DatabaseEndpoint db = TestPostgres.newDatabase("AuditUpgradeTest");
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
                .target("10").load().migrate();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO audit_log (chain, seq, at, actor_kind, actor_id, action, outcome, patient_id, ip, details,
                                            prev_hash, hash)
                     VALUES (?, ?, ?, 'professional', ?, 'record.open', 'success', ?, '192.0.2.1', '{}', ?, ?)""");
             PreparedStatement head = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE chain = ?")) {
            byte[] previous = AuditChain.GENESIS;
            Instant at = Instant.parse("2024-05-01T10:00:00Z");
            for (int seq = 1; seq <= OLD_ROWS; seq++) {
                UUID actor = UUID.randomUUID();
                UUID patient = UUID.randomUUID();
                AuditEvent event = new AuditEvent("professional", actor.toString(), "record.open", "success", patient,
                        "192.0.2.1", new JsonObject());
                Instant when = at.plus(seq, ChronoUnit.MINUTES);
                byte[] hash = AuditChain.unkeyed(previous, CHAIN, seq, when, event);
                insert.setShort(1, CHAIN);
                insert.setLong(2, seq);
                insert.setObject(3, OffsetDateTime.ofInstant(when, ZoneOffset.UTC));
                insert.setString(4, actor.toString());
                insert.setObject(5, patient);
                insert.setBytes(6, previous);
                insert.setBytes(7, hash);
                insert.executeUpdate();
                previous = hash;
            }
            head.setLong(1, OLD_ROWS);
            head.setBytes(2, previous);
            head.setShort(3, CHAIN);
            head.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return db;
    }

    private static String verify(int expectedExit) throws Exception {
        return AuditVerifyRun.verify(hub, DB, hub.config().secrets().dir(), expectedExit).text().strip();
    }
}

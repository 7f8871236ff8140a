package fr.relais.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.testing.Eventually;
import fr.relais.testing.HubProcess;
import fr.relais.testing.SqlProbe;
import fr.relais.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A log written before audit rows were keyed (schema before V11): {@code relais audit verify} accepts its rows, says
 * which ones are only unkeyed, and once a node has taken its first checkpoint, that checkpoint vouches for them.
 */
class AuditUpgradeTest {
    private static final short CHAIN = 5;
    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void rowsHashedBeforeKeysAreNamedThenSealedByTheFirstCheckpoint() throws Exception {
        DatabaseEndpoint db = TestPostgres.newDatabase("AuditUpgradeTest");
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
                .target("9").load().migrate(); // a schema from before keyed audit rows (V11)
        appendTheOldWay(db, 3);
        Path work = Files.createDirectories(Path.of("target", "audit-upgrade-" + System.nanoTime()));
        Map<String, String> env = Map.of(
                "RELAIS_DB_URL", "postgresql://" + db.host() + ":" + db.port() + "/" + db.database(),
                "RELAIS_DB_USER", db.user(), "RELAIS_DB_PASSWORD", db.password(),
                "RELAIS_HTTP_PORT", "0", "RELAIS_HTTP_HOST", "127.0.0.1", "RELAIS_LOG_LEVEL", "WARN",
                "RELAIS_AUDIT_CHECKPOINT_EVERY", "1s");

        String before = verify(work, env, 0);
        assertTrue(before.contains("chain 5, rows 1-3: hashed without a key (written before keyed hashing); "
                + "rows 1-3 are vouched for by nothing yet"), before);
        assertTrue(before.endsWith("audit chain intact: 3 rows, 3 of them unkeyed (see above); 0 checkpoint(s) verified"), before);

        try (HubProcess node = HubProcess.start(work, env, "serve")) {
            node.awaitPort(START);
            Eventually.await("the node's first checkpoint", Duration.ofSeconds(30),
                    () -> new SqlProbe(db).count("SELECT count(*) FROM audit_checkpoint"), count -> count >= 1);
            assertEquals(0, node.terminate(START), node.output());
        }
        String after = verify(work, env, 0);
        assertTrue(after.contains("chain 5, rows 1-3: hashed without a key (written before keyed hashing); "
                + "a later keyed row or a checkpoint vouches for them"), after);
        assertTrue(after.endsWith("audit chain intact: 3 rows, 3 of them unkeyed (see above); 1 checkpoint(s) verified"), after);

        new AuditTampering(db).rewriteOutcome(CHAIN, 1, "failure", false);
        String tampered = verify(work, env, 1);
        assertTrue(tampered.lines().reduce((a, b) -> b).orElse("")
                .startsWith("audit chain BROKEN: chain 5, row 3 is not the row checkpoint "), tampered);
    }

    /** Rows as the hub wrote them before V11: plain SHA-256, raw ids. */
    private static void appendTheOldWay(DatabaseEndpoint db, int rows) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO audit_log (chain, seq, at, actor_kind, actor_id, action, outcome, patient_id, ip, details,
                                            prev_hash, hash)
                     VALUES (?, ?, ?, 'professional', ?, 'record.open', 'success', ?, '192.0.2.1', '{}', ?, ?)""");
             PreparedStatement head = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE chain = ?")) {
            byte[] previous = AuditChain.GENESIS;
            Instant at = Instant.parse("2024-05-01T10:00:00Z");
            for (int seq = 1; seq <= rows; seq++) {
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
            head.setLong(1, rows);
            head.setBytes(2, previous);
            head.setShort(3, CHAIN);
            head.executeUpdate();
        }
    }

    private static String verify(Path work, Map<String, String> env, int expectedExit) throws Exception {
        try (HubProcess run = HubProcess.start(work, env, "audit", "verify")) {
            assertEquals(expectedExit, run.awaitExit(Duration.ofSeconds(60)), run.output());
            return run.output().strip();
        }
    }
}

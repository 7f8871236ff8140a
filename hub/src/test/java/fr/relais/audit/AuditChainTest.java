package fr.relais.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.testing.HubProcess;
import fr.relais.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit log is append-only and hash-chained; {@code relais audit verify} finds the first broken row. */
class AuditChainTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void securityEventsChainAndTamperingIsFoundAtTheRightRow() throws Exception {
        hub.people().patient("Audited");
        hub.people().professional("Dr Audit", "physician");
        long rows = hub.sql().count("SELECT count(*) FROM audit_log");
        assertTrue(rows >= 6, "account creations, activations, password steps and logins are audited: " + rows);
        assertEquals("audit chain intact: " + rows + " rows", verify(0));

        var victim = hub.sql().rows("SELECT chain, seq FROM audit_log WHERE seq >= 2 ORDER BY at LIMIT 1").get(0);
        String where = "chain = " + victim.get("chain") + " AND seq = " + victim.get("seq");
        assertThrows(IllegalStateException.class, () -> hub.sql().execute("UPDATE audit_log SET outcome = 'failure' WHERE " + where),
                "the table refuses updates");
        assertThrows(IllegalStateException.class, () -> hub.sql().execute("DELETE FROM audit_log WHERE " + where));

        hub.sql().execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
        try {
            hub.sql().execute("UPDATE audit_log SET outcome = 'failure' WHERE " + where);
        } finally {
            hub.sql().execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
        }
        String report = verify(1);
        assertTrue(report.startsWith("audit chain BROKEN: chain " + victim.get("chain") + ", row " + victim.get("seq")
                + " was altered"), report);
    }

    private static String verify(int expectedExit) throws Exception {
        DatabaseEndpoint db = hub.hub().database();
        Path work = Files.createDirectories(Path.of("target", "audit-verify-" + System.nanoTime()));
        Map<String, String> env = Map.of(
                "RELAIS_DB_URL", "postgresql://" + db.host() + ":" + db.port() + "/" + db.database(),
                "RELAIS_DB_USER", db.user(), "RELAIS_DB_PASSWORD", db.password(),
                "RELAIS_SECRETS_DIR", hub.config().secrets().dir().toAbsolutePath().toString(),
                "RELAIS_LOG_LEVEL", "WARN");
        try (HubProcess run = HubProcess.start(work, env, "audit", "verify")) {
            assertEquals(expectedExit, run.awaitExit(Duration.ofSeconds(60)), run.output());
            return run.output().strip().lines().reduce((a, b) -> b).orElse("");
        }
    }
}

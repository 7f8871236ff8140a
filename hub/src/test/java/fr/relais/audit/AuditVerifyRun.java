package fr.relais.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.testing.HubProcess;
import fr.relais.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** {@code relais audit verify} run as an operator would: its own process, the hub's database, key and checkpoint file. */
final class AuditVerifyRun {
    /** What the command printed, and its last line: the verdict. */
    record Output(String text) {
        String verdict() {
            return text.strip().lines().reduce((a, b) -> b).orElse("");
        }
    }

    private AuditVerifyRun() {
    }

    static Output verify(TestHub hub, int expectedExit) throws Exception {
        return verify(hub, hub.hub().database(), hub.config().secrets().dir(), expectedExit);
    }

    static Output verify(TestHub hub, DatabaseEndpoint db, Path secrets, int expectedExit) throws Exception {
        Path work = Files.createDirectories(Path.of("target", "audit-verify-" + System.nanoTime()));
        Map<String, String> env = Map.of(
                "RELAIS_DB_URL", "postgresql://" + db.host() + ":" + db.port() + "/" + db.database(),
                "RELAIS_DB_USER", db.user(), "RELAIS_DB_PASSWORD", db.password(),
                "RELAIS_SECRETS_DIR", secrets.toAbsolutePath().toString(),
                "RELAIS_AUDIT_CHECKPOINT_DIR", hub.config().audit().checkpointDir().toAbsolutePath().toString(),
                "RELAIS_LOG_LEVEL", "WARN");
        try (HubProcess run = HubProcess.start(work, env, "audit", "verify")) {
            assertEquals(expectedExit, run.awaitExit(Duration.ofSeconds(60)), run.output());
            return new Output(run.output());
        }
    }
}

package fr.relais.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.Hub;
import fr.relais.config.ConfigLoader;
import fr.relais.net.FreePort;
import fr.relais.testing.Eventually;
import fr.relais.testing.TestHub;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes on one database append and chain at the same time: the chains neither fork nor take an event twice. */
class AuditAcrossNodesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestHub nodeA = TestHub.create();

    private static Hub nodeB;

    @BeforeAll
    static void startSecondNode() {
        Map<String, String> settings = new HashMap<>(nodeA.siblingSettings(FreePort.on("127.0.0.1")));
        settings.values().removeIf(Objects::isNull);
        settings.put("cluster.enabled", "false"); // one database is all the chainers share
        nodeB = Hub.start(ConfigLoader.load(Optional.empty(), Map.of(), settings), nodeA.clock());
    }

    @AfterAll
    static void stopSecondNode() {
        if (nodeB != null) {
            nodeB.stop().await();
        }
    }

    @Test
    void bothNodesChainingAtOnceChainEveryEventExactlyOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        List<UUID> patients = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<AuditLog> nodes = List.of(nodeA.hub().audit().log(), nodeB.audit().log());
        int waves = 10;
        int perWave = 40;
        for (int wave = 0; wave < waves; wave++) {
            List<Future<Void>> writes = new ArrayList<>();
            for (int i = 0; i < perWave; i++) {
                int n = wave * perWave + i;
                writes.add(nodes.get(n % 2).append(AuditEvent.of("system", null, "test.both_nodes", "success")
                        .patient(patients.get(n % patients.size())).detail("run", run).detail("n", n)));
            }
            Future.all(writes).await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }

        int total = waves * perWave;
        Eventually.await("every event chained", DEADLINE,
                () -> nodeA.sql().count("SELECT count(*) FROM audit_pending WHERE details->>'run' = ?", run), count -> count == 0);
        assertEquals(total, nodeA.sql().count("SELECT count(*) FROM audit_log WHERE details->>'run' = ?", run), "no event twice");
        assertEquals(total, nodeA.sql().count("SELECT count(DISTINCT details->>'n') FROM audit_log WHERE details->>'run' = ?", run));
        AuditVerifyRun.Output verified = AuditVerifyRun.verify(nodeA, 0);
        assertTrue(verified.verdict().startsWith("audit chain intact: "), verified.text());
    }
}

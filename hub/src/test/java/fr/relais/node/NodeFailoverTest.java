package fr.relais.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.config.ConfigLoader;
import fr.relais.gateway.ws.CloseCodes;
import fr.relais.net.FreePort;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.HubProcess;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A clustered node ends under traffic (kill -9, or SIGTERM as in a rolling restart): node A runs in this JVM, node B
 * in a process of its own. The patient's socket on B ends with B; the client reconnects to A with its cursor and
 * gets every event exactly once.
 */
class NodeFailoverTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int MESSAGES = 150;
    private static final int HAZELCAST_A = FreePort.on("127.0.0.1");
    private static final int HAZELCAST_B = FreePort.on("127.0.0.1");
    private static final String MEMBERS = "127.0.0.1:" + HAZELCAST_A + ",127.0.0.1:" + HAZELCAST_B;
    private static final String CLUSTER_NAME = "relais-failover-" + HAZELCAST_A;

    @RegisterExtension
    static final TestHub nodeA = TestHub.create()
            .with("cluster.enabled", "true").with("cluster.port", String.valueOf(HAZELCAST_A))
            .with("cluster.members", MEMBERS).with("cluster.name", CLUSTER_NAME);

    @Test
    void theClientsOfAKilledNodeReconnectToAnotherAndGetEveryEventExactlyOnce() throws Exception {
        clientsMoveToNodeAWithoutLossWhen(HubProcess::kill, (short) 1006);
    }

    @Test
    void theClientsOfANodeStoppedForARollingRestartMoveWithoutLoss() throws Exception {
        clientsMoveToNodeAWithoutLossWhen(node -> assertEquals(0, node.terminate(DEADLINE), node.output()), CloseCodes.GOING_AWAY);
    }

    /** Node B serves the patient's socket while node A takes the doctor's messages; {@code stop} ends node B meanwhile. */
    private static void clientsMoveToNodeAWithoutLossWhen(NodeStop stop, short expectedClose) throws Exception {
        Person doctor = nodeA.people().professional("Dr Relève", "physician");
        Person patient = nodeA.people().patient("Patiente de B");
        String conversation = nodeA.people().conversation(doctor, patient);

        Path work = Files.createDirectories(Path.of("target", "failover-" + System.nanoTime()));
        try (HubProcess nodeB = HubProcess.start(work, secondNodeEnvironment(), nodeA.clock(), "serve", "--cluster")) {
            int portB = nodeB.awaitPort(DEADLINE);
            WsTestClient onB = WsTestClient.subscribed(portB, patient.accessToken(), null);
            onB.awaitType("subscribed");

            CompletableFuture<List<String>> traffic = CompletableFuture.supplyAsync(() -> {
                List<String> sent = new ArrayList<>();
                for (int i = 1; i <= MESSAGES; i++) {
                    Response response = doctor.http().post("/api/v1/conversations/" + conversation + "/messages",
                            new JsonObject().put("body", "Message " + i));
                    assertEquals(201, response.status(), response.body());
                    sent.add(response.json().getString("id"));
                }
                return sent;
            });
            Eventually.await("node B to deliver some of the traffic", DEADLINE, () -> messageIds(onB.events()).size(),
                    delivered -> delivered >= MESSAGES / 4);
            stop.apply(nodeB);
            assertEquals(expectedClose, onB.awaitClose(), "the socket ended with its node");
            List<JsonObject> beforeStop = onB.events();
            onB.close();

            JsonObject last = beforeStop.get(beforeStop.size() - 1);
            JsonObject cursor = new JsonObject().put("epoch", last.getString("epoch")).put("offset", last.getLong("offset"));
            try (WsTestClient onA = WsTestClient.subscribed(nodeA.port(), patient.accessToken(), cursor)) {
                List<String> sent = traffic.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(messageIds(beforeStop).size() < MESSAGES, "the node ended under traffic");
                String lastSent = sent.get(sent.size() - 1);
                Eventually.await("every message, on node A", DEADLINE, () -> messageIds(onA.events()), ids -> ids.contains(lastSent));

                List<JsonObject> all = new ArrayList<>(beforeStop);
                all.addAll(onA.events());
                long first = all.get(0).getLong("offset");
                for (int i = 0; i < all.size(); i++) {
                    assertEquals(first + i, all.get(i).getLong("offset"), "offsets in order, none missed, none twice");
                }
                assertEquals(sent, messageIds(all), "every message exactly once, in the order sent");
                assertEquals(MESSAGES, new HashSet<>(messageIds(all)).size());
            }
        }
    }

    private interface NodeStop {
        void apply(HubProcess node) throws Exception;
    }

    private static List<String> messageIds(List<JsonObject> events) {
        return events.stream().filter(e -> "message.created".equals(e.getString("type")))
                .map(e -> e.getJsonObject("data").getString("messageId")).toList();
    }

    /** Node B's environment: the same database, master key and SMTP server as node A, in its cluster. */
    private static Map<String, String> secondNodeEnvironment() {
        Map<String, String> env = new HashMap<>();
        nodeA.siblingSettings(HAZELCAST_B).forEach((key, value) -> env.put(ConfigLoader.envName(key), value));
        return env;
    }
}

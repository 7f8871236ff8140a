package fr.relais.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.gateway.ws.CloseCodes;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.TwoNodes;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes on one database, joined by Hazelcast: what happens on one reaches sockets held by the other. */
@ClockSensitive
class ClusterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    @RegisterExtension
    static final TwoNodes nodes = TwoNodes.create();
    private static final TestHub nodeA = nodes.nodeA();


    @Test
    void eventsWrittenOnOneNodeReachSocketsOnTheOther() {
        Person doctor = nodeA.people().professional("Dr Cluster", "physician");
        Person patient = nodeA.people().patient("Patiente sur B");
        nodeA.people().treats(doctor, patient);
        try (WsTestClient onB = WsTestClient.subscribed(nodes.nodeB().httpPort(), patient.accessToken(), null)) {
            onB.awaitType("subscribed");
            nodeA.hub().streams().append(patient.id(), "document.arrived", new JsonObject()).await();
            assertEquals("document.arrived", onB.awaitEvents(1).get(0).getString("type"));
            doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Bonjour")
                    .put("participants", new JsonArray().add(patient.id().toString()))
                    .put("message", new JsonObject().put("body", "Depuis le nœud A")));
            onB.awaitType("message.created");
        }
    }

    @Test
    void bothNodesDispatchOneOutboxAndEachEmailLeavesExactlyOnce() {
        List<Person> patients = IntStream.range(0, 5).mapToObj(i -> nodeA.people().patient("Courriel " + i)).toList();
        HttpTestClient onB = nodes.httpB();
        for (Person patient : patients) {
            for (HttpTestClient node : List.of(nodeA.http(), onB, nodeA.http(), onB)) {
                startLogin(node, patient);
            }
        }
        for (Person patient : patients) {
            Eventually.await("every email to " + patient.email() + " sent", DEADLINE, () -> nodeA.sql().count(
                    "SELECT count(*) FROM outbox WHERE recipient_id = ? AND status <> 'sent'", patient.id()), n -> n == 0);
            long sent = nodeA.sql().count("SELECT count(*) FROM outbox WHERE recipient_id = ?", patient.id());
            assertTrue(sent >= 5, "activation, first login and four more codes");
            assertEquals(sent, nodeA.mail().getReceivedMessagesForDomain(patient.email()).length,
                    "each email once, though both nodes' dispatchers woke for it");
        }
    }

    @Test
    void emailsQueuedOnBothNodesDuringAnSmtpOutageLeaveExactlyOnceWhenItIsBack() {
        List<Person> patients = IntStream.range(0, 3).mapToObj(i -> nodeA.people().patient("Panne " + i)).toList();
        HttpTestClient onB = nodes.httpB();
        nodeA.stopMail();
        try {
            for (Person patient : patients) {
                for (HttpTestClient node : List.of(nodeA.http(), onB)) {
                    startLogin(node, patient); // it does not wait for SMTP
                }
            }
            for (Person patient : patients) {
                Eventually.await("both codes to " + patient.email() + " tried and failed", DEADLINE, () -> nodeA.sql().count(
                        "SELECT count(*) FROM outbox WHERE recipient_id = ? AND status = 'pending' AND attempts >= 1",
                        patient.id()), n -> n == 2);
            }
        } finally {
            nodeA.startMail(); // the same port: what the first server received is gone, so only new deliveries count
        }
        // the nodes' shared clock stands still: let a lease taken by a send that was under way at the outage expire
        nodeA.clock().advance(nodeA.config().mail().lease().plusSeconds(1));
        try {
            for (Person patient : patients) {
                Eventually.await("every email to " + patient.email() + " sent", Duration.ofSeconds(60), () -> nodeA.sql().count(
                        "SELECT count(*) FROM outbox WHERE recipient_id = ? AND status <> 'sent'", patient.id()), n -> n == 0);
                assertEquals(2, nodeA.mail().getReceivedMessagesForDomain(patient.email()).length,
                        "the two codes of the outage, each once");
            }
        } finally {
            nodeA.clock().advance(nodeA.config().mail().lease().plusSeconds(1).negated());
        }
    }

    @Test
    void aLogoutOnOneNodeClosesTheSessionsSocketsOnTheOther() {
        Person patient = nodeA.people().patient("Déconnexion");
        try (WsTestClient onB = WsTestClient.subscribed(nodes.nodeB().httpPort(), patient.accessToken(), null)) {
            onB.awaitType("subscribed");
            assertEquals(204, patient.http().post("/api/v1/auth/logout", new JsonObject()).status());
            assertEquals(CloseCodes.SESSION_REVOKED, onB.awaitClose());
        }
    }

    /** Password step of a login on {@code node}: it queues the email with the code. */
    private static void startLogin(HttpTestClient node, Person patient) {
        Response started = node.postJson("/api/v1/auth/login",
                new JsonObject().put("email", patient.email()).put("password", People.PASSWORD));
        assertEquals(200, started.status(), started.body());
    }
}

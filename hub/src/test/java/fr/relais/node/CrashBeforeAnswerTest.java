package fr.relais.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.relais.config.ConfigLoader;
import fr.relais.net.FreePort;
import fr.relais.testing.CuttableProxy;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.HubProcess;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node commits a write and is killed (kill -9) before its answer reaches the client. The client, who cannot know
 * whether the write happened, sends it again with the same Idempotency-Key to another node, and gets the original
 * back: one message (or document), one event per recipient, counted on raw sockets. The doomed node runs in a
 * process of its own behind a proxy that lets the request through and swallows the answer; the surviving node
 * runs in this JVM, in the same cluster and on the same database.
 */
class CrashBeforeAnswerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int HAZELCAST_SURVIVOR = FreePort.on("127.0.0.1");
    /** Each test kills a node of its own: a new one never takes the address of a member the cluster just lost. */
    private static final int[] HAZELCAST_DOOMED = {FreePort.on("127.0.0.1"), FreePort.on("127.0.0.1")};
    private static final String MEMBERS = "127.0.0.1:" + HAZELCAST_SURVIVOR + ",127.0.0.1:" + HAZELCAST_DOOMED[0]
            + ",127.0.0.1:" + HAZELCAST_DOOMED[1];
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n% bilan\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final TestHub survivor = TestHub.create()
            .with("cluster.enabled", "true").with("cluster.port", String.valueOf(HAZELCAST_SURVIVOR))
            .with("cluster.members", MEMBERS).with("cluster.name", "relais-crash-" + HAZELCAST_SURVIVOR);

    @Test
    void aMessageCommittedByANodeKilledBeforeItAnsweredComesBackOnceWhenSentAgainToAnotherNode() throws Exception {
        Person doctor = survivor.people().professional("Dr Panne", "physician");
        Person patient = survivor.people().patient("Patiente du nœud tué");
        String conversation = survivor.people().conversation(doctor, patient);
        String path = "/api/v1/conversations/" + conversation + "/messages";
        String body = new JsonObject().put("body", "Envoyé une fois").encode();

        try (WsTestClient live = WsTestClient.subscribed(survivor.port(), patient.accessToken(), null)) {
            live.awaitType("subscribed");
            Response retried = sentAgainAfterTheNodeDied(HAZELCAST_DOOMED[0], doctor, path, body, "crash-message-1",
                    () -> patient.http().get(path).json().getJsonArray("items").size() == 2);

            assertEquals(200, retried.status(), retried.body());
            JsonArray messages = patient.http().get(path).json().getJsonArray("items");
            assertEquals(2, messages.size(), "the message exists once: " + messages.encode());
            String id = messages.getJsonObject(1).getString("id");
            assertEquals(id, retried.json().getString("id"), "the retry answers with the message the dead node wrote");
            assertEquals(2, retried.json().getLong("seq"));

            // a later message makes the live socket fetch anything the dead node committed but never published
            String later = doctor.http().post(path, new JsonObject().put("body", "Après la panne")).json().getString("id");
            Eventually.await("the later message on the live socket", DEADLINE, () -> messageIds(live.events()),
                    ids -> ids.contains(later));
            assertEquals(List.of(id, later), messageIds(live.events()), "live: each message once, in order");
            assertContiguous(live.events());
        }
        try (WsTestClient replay = WsTestClient.subscribed(survivor.port(), patient.accessToken(),
                new JsonObject().put("epoch", "").put("offset", 0))) {
            replay.awaitType("subscribed");
            List<String> replayed = messageIds(replay.events());
            assertEquals(3, replayed.size(), "replayed from the start: three messages, none twice: " + replayed);
            assertEquals(3, replayed.stream().distinct().count(), replayed.toString());
            assertContiguous(replay.events());
        }
    }

    @Test
    void aDepositCommittedByANodeKilledBeforeItAnsweredComesBackOnceWhenSentAgainToAnotherNode() throws Exception {
        Person biologist = survivor.people().professional("Laboratoire Panne", "biologist");
        Person patient = survivor.people().patient("Patient du dépôt");
        String documents = "/api/v1/patients/" + patient.id() + "/documents";
        String careDate = survivor.clock().instant().atZone(TestClock.PARIS).toLocalDate().minusDays(2).toString();
        String body = new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result")
                .put("title", "Bilan lipidique").put("careDate", careDate).put("contentType", "application/pdf")
                .put("data", PDF).encode();

        try (WsTestClient live = WsTestClient.subscribed(survivor.port(), patient.accessToken(), null)) {
            live.awaitType("subscribed");
            Response retried = sentAgainAfterTheNodeDied(HAZELCAST_DOOMED[1], biologist, "/api/v1/documents", body, "crash-deposit-1",
                    () -> patient.http().get(documents).json().getJsonArray("items").size() == 1);

            assertEquals(200, retried.status(), retried.body());
            JsonArray listed = patient.http().get(documents).json().getJsonArray("items");
            assertEquals(1, listed.size(), "the document exists once: " + listed.encode());
            assertEquals(listed.getJsonObject(0).getString("id"), retried.json().getString("id"));

            String later = biologist.http().post("/api/v1/documents", new JsonObject(body).put("title", "Contrôle"))
                    .json().getString("id");
            Eventually.await("the later document on the live socket", DEADLINE, () -> documentIds(live.events()),
                    ids -> ids.contains(later));
            assertEquals(List.of(retried.json().getString("id"), later), documentIds(live.events()),
                    "live: each document once, in order");
            assertContiguous(live.events());
        }
    }

    /**
     * Sends the request through a proxy to a new node that answers into the void, waits until {@code committed}
     * (read through the surviving node), kills that node, checks the client got no answer, and sends the same
     * request, same key, to the surviving node.
     */
    private static Response sentAgainAfterTheNodeDied(int hazelcastPort, Person sender, String path, String body, String key,
                                                      java.util.function.BooleanSupplier committed) throws Exception {
        Map<String, String> headers = Map.of("Authorization", "Bearer " + sender.accessToken(), "Idempotency-Key", key);
        Path work = Files.createDirectories(Path.of("target", "crash-" + System.nanoTime()));
        try (HubProcess doomed = HubProcess.start(work, doomedNodeEnvironment(hazelcastPort), survivor.clock(), "serve", "--cluster");
             CuttableProxy proxy = CuttableProxy.to(doomed.awaitPort(DEADLINE))) {
            proxy.swallowAnswers();
            HttpTestClient throughProxy = new HttpTestClient("http://127.0.0.1:" + proxy.port(), proxy.port());
            CompletableFuture<Response> firstAttempt = CompletableFuture.supplyAsync(
                    () -> throughProxy.send("POST", path, headers, "application/json", body));
            Eventually.await("the doomed node to commit the write", DEADLINE, committed::getAsBoolean, done -> done);
            assertFalse(firstAttempt.isDone(), "the client has no answer yet");

            doomed.kill();
            ExecutionException lost = assertThrows(ExecutionException.class,
                    () -> firstAttempt.get(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the answer never arrives");
            assertEquals(IllegalStateException.class, lost.getCause().getClass(), lost.toString());
        }
        return survivor.http().send("POST", path, headers, "application/json", body);
    }

    private static void assertContiguous(List<JsonObject> events) {
        for (int i = 1; i < events.size(); i++) {
            assertEquals(events.get(0).getLong("offset") + i, events.get(i).getLong("offset"), "no event twice, none missed");
        }
    }

    private static List<String> messageIds(List<JsonObject> events) {
        return events.stream().filter(e -> "message.created".equals(e.getString("type")))
                .map(e -> e.getJsonObject("data").getString("messageId")).toList();
    }

    private static List<String> documentIds(List<JsonObject> events) {
        return events.stream().filter(e -> "document.arrived".equals(e.getString("type")))
                .map(e -> e.getJsonObject("data").getString("documentId")).toList();
    }

    /** The doomed node's environment: the survivor's database, master key and SMTP server, in its cluster. */
    private static Map<String, String> doomedNodeEnvironment(int hazelcastPort) {
        Map<String, String> env = new HashMap<>();
        survivor.siblingSettings(hazelcastPort).forEach((name, value) -> env.put(ConfigLoader.envName(name), value));
        return env;
    }
}

package fr.relais.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An idempotency key stands for one request. Sent again with the same body (whatever the order of its members),
 * the first result comes back and nothing is written twice; sent with another body, it is refused with
 * {@code 409 idempotency_key_reused}, on every REST route that takes {@code Idempotency-Key} and on the socket.
 */
class IdempotentRetryTest {
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n% résultats\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1));

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aConversationStartedAgainWithTheSameKeyIsTheFirstOneUnlessTheBodyDiffers() {
        Person doctor = hub.people().professional("Dr Clé", "physician");
        Person patient = hub.people().patient("Patiente à clé");
        hub.people().treats(doctor, patient);
        JsonObject body = new JsonObject().put("subject", "Résultats")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Vos résultats sont arrivés"));

        Response first = post(doctor, "/api/v1/conversations", "start-1", body.encode());
        Response again = post(doctor, "/api/v1/conversations", "start-1", reordered(body));
        Response other = post(doctor, "/api/v1/conversations", "start-1", body.copy().put("subject", "Autre sujet").encode());

        assertEquals(201, first.status(), first.body());
        assertEquals(200, again.status(), again.body());
        assertEquals(first.json().getString("conversationId"), again.json().getString("conversationId"));
        assertEquals(first.json().getString("id"), again.json().getString("id"));
        assertReused(other);
        assertEquals(1, patient.http().get("/api/v1/conversations").json().getJsonArray("items").size());
    }

    @Test
    void aMessageSentAgainWithTheSameKeyIsTheFirstOneUnlessTheBodyDiffers() {
        Person doctor = hub.people().professional("Dr Renvoi", "physician");
        Person patient = hub.people().patient("Patient renvoyé");
        hub.people().treats(doctor, patient);
        String conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Bonjour"))).json().getString("conversationId");
        String path = "/api/v1/conversations/" + conversation + "/messages";
        JsonObject body = new JsonObject().put("body", "Prenez rendez-vous").put("attachments", new JsonArray()
                .add(new JsonObject().put("filename", "ordonnance.pdf").put("contentType", "application/pdf").put("data", PDF)));

        Response first = post(doctor, path, "send-1", body.encode());
        Response again = post(doctor, path, "send-1", reordered(body));
        Response otherBody = post(doctor, path, "send-1", body.copy().put("body", "Autre chose").encode());
        Response otherFile = post(doctor, path, "send-1", body.copy().put("attachments", new JsonArray()).encode());
        Response keyInTheBody = doctor.http().post(path, body.copy().put("body", "Encore autre chose").put("idempotencyKey", "send-1"));

        assertEquals(201, first.status(), first.body());
        assertEquals(200, again.status(), again.body());
        assertEquals(first.json().getString("id"), again.json().getString("id"));
        assertReused(otherBody);
        assertReused(otherFile);
        assertReused(keyInTheBody);
        assertEquals(2, patient.http().get(path).json().getJsonArray("items").size(), "the greeting and one message");

        // filing the attachment into the record: its key is the attachment, so filing it again is that document,
        // and filing it again as something else is refused
        String filing = "/api/v1/conversations/" + conversation + "/attachments/"
                + first.json().getJsonArray("attachments").getJsonObject(0).getString("id") + "/file-to-record";
        String today = hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString();
        JsonObject asPrescription = new JsonObject().put("kind", "prescription").put("careDate", today);
        Response filed = doctor.http().post(filing, asPrescription);
        assertEquals(201, filed.status(), filed.body());
        assertEquals(filed.json().getString("id"), doctor.http().post(filing, asPrescription).json().getString("id"));
        Response asSomethingElse = doctor.http().post(filing, asPrescription.copy().put("kind", "other"));
        assertEquals(409, asSomethingElse.status(), asSomethingElse.body());
        assertEquals("already_filed", asSomethingElse.json().getString("code"));
        assertEquals(1, patient.http().get("/api/v1/patients/" + patient.id() + "/documents").json().getJsonArray("items").size());
    }

    @Test
    void aKeyOutsideOneTo200CharactersIsRefusedOnDepositsAsOnMessagesNotIgnored() {
        Person biologist = hub.people().professional("Labo Longue Clé", "biologist");
        Person patient = hub.people().patient("Patient longue clé");
        String careDate = hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().minusDays(1).toString();
        JsonObject body = new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result")
                .put("title", "Ferritine").put("careDate", careDate).put("contentType", "application/pdf").put("data", PDF);
        for (String key : new String[] {" ", "k".repeat(201)}) {
            Response refused = post(biologist, "/api/v1/documents", key, body.encode());
            assertEquals(400, refused.status(), refused.body());
            assertEquals("idempotencyKey", refused.json().getString("field"), refused.body());
        }
        Response numeric = biologist.http().post("/api/v1/documents", body.copy().put("idempotencyKey", 5));
        assertEquals(400, numeric.status(), numeric.body());
        assertEquals(0, patient.http().get("/api/v1/patients/" + patient.id() + "/documents").json().getJsonArray("items").size(),
                "nothing was deposited: a retry with such a key would have been written twice");
    }

    @Test
    void aKeyStoredBeforeFingerprintsExistedIsStillRefusedInAnotherConversation() {
        Person doctor = hub.people().professional("Dr Ancienne Clé", "physician");
        Person patient = hub.people().patient("Patiente ancienne clé");
        hub.people().treats(doctor, patient);
        String first = conversationWith(doctor, patient, "Premier suivi");
        String second = conversationWith(doctor, patient, "Second suivi");
        String body = new JsonObject().put("body", "Même texte").encode();
        Response sent = post(doctor, "/api/v1/conversations/" + first + "/messages", "old-key", body);
        assertEquals(201, sent.status(), sent.body());
        // as a row written before V14 has it: no fingerprint
        hub.sql().execute("UPDATE message SET request_hmac = NULL WHERE idempotency_key = 'old-key'");

        assertReused(post(doctor, "/api/v1/conversations/" + second + "/messages", "old-key", body));
        assertEquals(1, patient.http().get("/api/v1/conversations/" + second + "/messages").json().getJsonArray("items").size(),
                "only the greeting: nothing was sent in the second conversation, and no other message was claimed to be");
        assertEquals(200, post(doctor, "/api/v1/conversations/" + first + "/messages", "old-key", body).status());
    }

    private static String conversationWith(Person doctor, Person patient, String subject) {
        return doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", subject)
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Bonjour"))).json().getString("conversationId");
    }

    @Test
    void aDocumentDepositedAgainWithTheSameKeyIsTheFirstOneUnlessTheBodyDiffers() {
        Person biologist = hub.people().professional("Labo Clé", "biologist");
        Person patient = hub.people().patient("Patient du labo");
        String careDate = hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().minusDays(1).toString();
        JsonObject body = new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result")
                .put("title", "Glycémie").put("careDate", careDate).put("contentType", "application/pdf").put("data", PDF);

        Response first = post(biologist, "/api/v1/documents", "deposit-1", body.encode());
        Response again = post(biologist, "/api/v1/documents", "deposit-1", reordered(body));
        Response otherTitle = post(biologist, "/api/v1/documents", "deposit-1", body.copy().put("title", "Cholestérol").encode());
        Response otherKind = post(biologist, "/api/v1/documents", "deposit-1", body.copy().put("kind", "other").encode());

        assertEquals(201, first.status(), first.body());
        assertEquals(200, again.status(), again.body());
        assertEquals(first.json().getString("id"), again.json().getString("id"));
        assertReused(otherTitle);
        assertReused(otherKind);
        JsonArray record = patient.http().get("/api/v1/patients/" + patient.id() + "/documents").json().getJsonArray("items");
        assertEquals(1, record.size(), record.encode());
        assertEquals("Glycémie", record.getJsonObject(0).getString("title"));
    }

    @Test
    void aSocketCommandSentAgainWithTheSameKeyAndOtherArgumentsIsRefused() {
        Person doctor = hub.people().professional("Dr Socket Clé", "physician");
        Person patient = hub.people().patient("Patiente socket");
        hub.people().treats(doctor, patient);
        String conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Par socket")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Bonjour"))).json().getString("conversationId");
        JsonObject args = new JsonObject().put("conversationId", conversation).put("body", "Une fois");
        try (WsTestClient socket = hub.people().live(doctor)) {
            JsonObject first = command(socket, "c1", args);
            JsonObject again = command(socket, "c2", args);
            JsonObject other = command(socket, "c3", args.copy().put("body", "Autre chose"));

            assertEquals("result", first.getString("type"), first.encode());
            assertEquals(first.getJsonObject("result"), again.getJsonObject("result"));
            assertEquals("error", other.getString("type"), other.encode());
            assertEquals("idempotency_key_reused", other.getString("code"));
            Response overRest = post(doctor, "/api/v1/conversations/" + conversation + "/messages", "socket-1",
                    new JsonObject().put("body", "Une fois").encode());
            assertEquals(200, overRest.status(), "the socket's key is the REST key: " + overRest.body());
            assertEquals(first.getJsonObject("result"), overRest.json(), "the first answer, attachments list included");
        }
        assertEquals(2, patient.http().get("/api/v1/conversations/" + conversation + "/messages").json().getJsonArray("items").size());
    }

    @Test
    void theSameRequestSentSeveralTimesAtOnceWithOneKeyIsWrittenOnceAndEveryAnswerIsIt() throws Exception {
        Person doctor = hub.people().professional("Dr Simultanée", "physician");
        Person patient = hub.people().patient("Patient simultané");
        String conversation = hub.people().conversation(doctor, patient);
        String messages = "/api/v1/conversations/" + conversation + "/messages";
        String careDate = hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().minusDays(1).toString();
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            assertWrittenOnce(sentAtOnce(doctor, messages, "together-" + round, new JsonObject().put("body", "Message " + round).encode()));
            assertWrittenOnce(sentAtOnce(doctor, "/api/v1/documents", "together-doc-" + round, new JsonObject()
                    .put("patientId", patient.id().toString()).put("kind", "lab_result").put("title", "Bilan " + round)
                    .put("careDate", careDate).put("contentType", "application/pdf").put("data", PDF).encode()));
        }
        assertEquals(1 + rounds, patient.http().get(messages).json().getJsonArray("items").size());
        assertEquals(rounds, patient.http().get("/api/v1/patients/" + patient.id() + "/documents").json().getJsonArray("items").size());
    }

    /** Eight identical requests released together, as a client that retries too early (or twice) sends them. */
    private static java.util.List<Response> sentAtOnce(Person who, String path, String key, String json) throws Exception {
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Response>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sent.add(senders.submit(() -> {
                    go.await();
                    return post(who, path, key, json);
                }));
            }
            go.countDown();
            java.util.List<Response> answers = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Response> answer : sent) {
                answers.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            senders.shutdownNow();
        }
    }

    private static void assertWrittenOnce(java.util.List<Response> answers) {
        for (Response answer : answers) {
            assertEquals(true, answer.status() == 200 || answer.status() == 201, answer.status() + " " + answer.body());
        }
        assertEquals(1, answers.stream().filter(a -> a.status() == 201).count(), "one of them wrote");
        assertEquals(1, answers.stream().map(a -> a.json().getString("id")).distinct().count(), "all answered with the same");
    }

    private static JsonObject command(WsTestClient socket, String id, JsonObject args) {
        socket.send(new JsonObject().put("type", "command").put("id", id).put("op", "message.send")
                .put("idempotencyKey", "socket-1").put("args", args));
        return socket.awaitFrame("the answer to " + id, frame -> id.equals(frame.getString("id")));
    }

    private static Response post(Person who, String path, String key, String json) {
        return hub.http().send("POST", path, Map.of("Authorization", "Bearer " + who.accessToken(), "Idempotency-Key", key),
                "application/json", json);
    }

    private static void assertReused(Response response) {
        assertEquals(409, response.status(), response.body());
        assertEquals("idempotency_key_reused", response.json().getString("code"), response.body());
    }

    /** The same members, written in the reverse order (a retry by another JSON library). */
    private static String reordered(JsonObject body) {
        JsonObject reversed = new JsonObject();
        java.util.List<String> names = new java.util.ArrayList<>(body.fieldNames());
        java.util.Collections.reverse(names);
        names.forEach(name -> reversed.put(name, body.getValue(name)));
        return reversed.encode();
    }
}

package fr.relais.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Secure messaging end to end, over REST and real sockets, for the right and the wrong people. */
class MessagingTest {
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final TestHub hub = TestHub.create().with("messaging.maxAttachmentSize", "2KiB");

    @Test
    void aProfessionalWritesThePatientRepliesAndBothSeeItAllLive() {
        Person patient = hub.people().patient("Nina");
        Person doctor = hub.people().professional("Dr Laurent", "physician");
        treats(doctor, patient);
        try (WsTestClient patientSocket = live(patient); WsTestClient doctorSocket = live(doctor)) {
            Response started = doctor.http().post("/api/v1/conversations", new JsonObject()
                    .put("subject", "Résultats de votre bilan").put("participants", new JsonArray().add(patient.id().toString()))
                    .put("message", new JsonObject().put("body", "Vos résultats sont normaux.")));
            assertEquals(201, started.status(), started.body());
            String conversation = started.json().getString("conversationId");

            JsonObject created = patientSocket.awaitType("conversation.created");
            assertEquals(conversation, created.getJsonObject("data").getString("conversationId"));
            JsonObject arrived = patientSocket.awaitType("message.created");
            assertEquals(1, arrived.getJsonObject("data").getJsonObject("unread").getLong("conversation"));
            assertFalse(arrived.encode().contains("normaux"), "events carry no body");

            JsonObject page = patient.http().get("/api/v1/conversations/" + conversation + "/messages").json();
            assertEquals("Vos résultats sont normaux.", page.getJsonArray("items").getJsonObject(0).getString("body"));
            JsonObject listed = patient.http().get("/api/v1/conversations").json();
            assertEquals("Résultats de votre bilan", listed.getJsonArray("items").getJsonObject(0).getString("subject"));
            assertEquals(1, listed.getLong("unreadTotal"));

            Response reply = patient.http().post("/api/v1/conversations/" + conversation + "/messages",
                    new JsonObject().put("body", "Merci docteur"));
            assertEquals(201, reply.status(), reply.body());
            JsonObject replyEvent = doctorSocket.awaitFrame("the reply", f -> "message.created".equals(f.getString("type"))
                    && f.getJsonObject("data").getLong("seq") == 2);
            assertEquals(patient.id().toString(), replyEvent.getJsonObject("data").getString("senderId"));

            Response read = doctor.http().post("/api/v1/conversations/" + conversation + "/read", new JsonObject().put("upTo", 2));
            assertEquals(200, read.status(), read.body());
            JsonObject receipt = patientSocket.awaitType("message.read");
            assertEquals(doctor.id().toString(), receipt.getJsonObject("data").getString("readerId"));
            assertEquals(2, receipt.getJsonObject("data").getLong("upTo"));
            assertEquals(0, patient.http().get("/api/v1/conversations/unread").json().getLong("total"),
                    "replying marks what came before as read");
        }
    }

    @Test
    void patientsCannotStartAndClosedConversationsTakeNoMore() {
        Person patient = hub.people().patient("Oscar");
        Person doctor = hub.people().professional("Dr Morel", "physician");
        treats(doctor, patient);
        Response refused = patient.http().post("/api/v1/conversations", new JsonObject().put("subject", "Question")
                .put("participants", new JsonArray().add(doctor.id().toString())).put("message", new JsonObject().put("body", "?")));
        assertEquals(403, refused.status());
        assertEquals("patients_cannot_start", refused.json().getString("code"));

        String conversation = start(doctor, patient, "Suivi");
        try (WsTestClient patientSocket = live(patient)) {
            assertEquals(403, patient.http().post("/api/v1/conversations/" + conversation + "/close", new JsonObject()).status());
            assertEquals(200, doctor.http().post("/api/v1/conversations/" + conversation + "/close", new JsonObject()).status());
            patientSocket.awaitType("conversation.closed");
        }
        Response late = patient.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject().put("body", "Et ?"));
        assertEquals(409, late.status());
        assertEquals("conversation_closed", late.json().getString("code"));
        assertEquals("closed", patient.http().get("/api/v1/conversations").json().getJsonArray("items").getJsonObject(0).getString("state"));
    }

    @Test
    void aBlockedProfessionalReachesNothingAndAStrangerSeesNothing() {
        Person patient = hub.people().patient("Pauline");
        Person doctor = hub.people().professional("Dr Blocked", "physician");
        treats(doctor, patient);
        String conversation = start(doctor, patient, "Avant le blocage");
        String rpps = doctor.http().get("/api/v1/me").json().getString("rpps");
        assertEquals(201, patient.http().post("/api/v1/me/blocked-professionals", new JsonObject().put("rpps", rpps)).status());
        Response again = doctor.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject().put("body", "Bonjour"));
        assertEquals(404, again.status(), "cut off from the conversation: it no longer exists for them");
        assertEquals("not_found", again.json().getString("code"));

        Person stranger = hub.people().professional("Dr Nobody", "physician");
        Person otherPatient = hub.people().patient("Quentin");
        for (Person wrong : List.of(stranger, otherPatient)) {
            assertEquals(404, wrong.http().get("/api/v1/conversations/" + conversation + "/messages").status());
            assertEquals(404, wrong.http().post("/api/v1/conversations/" + conversation + "/messages",
                    new JsonObject().put("body", "intrusion")).status());
            assertEquals(404, wrong.http().post("/api/v1/conversations/" + conversation + "/read", new JsonObject().put("upTo", 1)).status());
            assertEquals(0, wrong.http().get("/api/v1/conversations").json().getJsonArray("items").size());
        }
        Response unknownPatient = stranger.http().post("/api/v1/conversations", new JsonObject().put("subject", "x")
                .put("participants", new JsonArray().add(patient.id().toString())).put("message", new JsonObject().put("body", "x")));
        assertEquals(404, unknownPatient.status(), "a patient one does not treat cannot be messaged, nor revealed");
    }

    @Test
    void aRetriedSendCreatesOneMessageAndNothingIsStoredInClear() {
        Person patient = hub.people().patient("Rose");
        Person doctor = hub.people().professional("Dr Secret", "physician");
        treats(doctor, patient);
        String conversation = start(doctor, patient, "Sujet confidentiel unique");
        JsonObject body = new JsonObject().put("body", "Diagnostic très confidentiel kwyvbzqx");
        Response first = hub.http().send("POST", "/api/v1/conversations/" + conversation + "/messages",
                Map.of("Authorization", "Bearer " + doctor.accessToken(), "Idempotency-Key", "retry-1"), "application/json", body.encode());
        Response second = hub.http().send("POST", "/api/v1/conversations/" + conversation + "/messages",
                Map.of("Authorization", "Bearer " + doctor.accessToken(), "Idempotency-Key", "retry-1"), "application/json", body.encode());
        assertEquals(201, first.status(), first.body());
        assertEquals(200, second.status(), second.body());
        assertEquals(first.json().getString("id"), second.json().getString("id"));
        assertEquals(2, patient.http().get("/api/v1/conversations/" + conversation + "/messages").json().getJsonArray("items").size());

        assertEquals(0, hub.sql().count("SELECT count(*) FROM message WHERE position(convert_to('kwyvbzqx', 'UTF8') in body_sealed) > 0"));
        assertEquals(0, hub.sql().count("SELECT count(*) FROM conversation WHERE position(convert_to('confidentiel', 'UTF8') in subject_sealed) > 0"));
        assertEquals(0, hub.sql().count("SELECT count(*) FROM stream_event WHERE data::text LIKE '%kwyvbzqx%' OR data::text LIKE '%confidentiel%'"));
    }

    @Test
    void attachmentsAreCheckedStoredSealedAndServedToParticipantsOnly() throws Exception {
        Person patient = hub.people().patient("Sami");
        Person doctor = hub.people().professional("Dr Files", "physician");
        treats(doctor, patient);
        String conversation = start(doctor, patient, "Ordonnance");
        JsonObject withPdf = new JsonObject().put("body", "Voici l'ordonnance").put("attachments", new JsonArray()
                .add(new JsonObject().put("filename", "ordonnance.pdf").put("contentType", "application/pdf")
                        .put("data", Base64.getEncoder().encodeToString(PDF))));
        Response sent = doctor.http().post("/api/v1/conversations/" + conversation + "/messages", withPdf);
        assertEquals(201, sent.status(), sent.body());
        String attachment = sent.json().getJsonArray("attachments").getJsonObject(0).getString("id");

        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + hub.port() + "/api/v1/conversations/" + conversation + "/attachments/" + attachment))
                .header("Authorization", "Bearer " + patient.accessToken()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(PDF, download.body());
        assertEquals("application/pdf", download.headers().firstValue("Content-Type").orElse(""));
        Person stranger = hub.people().patient("Stranger");
        assertEquals(404, stranger.http().get("/api/v1/conversations/" + conversation + "/attachments/" + attachment).status());

        JsonObject filing = new JsonObject().put("kind", "prescription").put("careDate", "2026-11-20");
        String fileUrl = "/api/v1/conversations/" + conversation + "/attachments/" + attachment + "/file-to-record";
        assertEquals(403, patient.http().post(fileUrl, filing).status(), "professionals file attachments into the record");
        Response filed = doctor.http().post(fileUrl, filing);
        assertEquals(201, filed.status(), filed.body());
        assertEquals("ordonnance.pdf", filed.json().getString("title"));
        assertEquals(filed.json().getString("id"), doctor.http().post(fileUrl, filing).json().getString("id"), "filed once");
        JsonArray record = patient.http().get("/api/v1/patients/" + patient.id() + "/documents").json().getJsonArray("items");
        assertEquals(1, record.size());
        assertEquals(0, hub.sql().count("SELECT count(*) FROM attachment WHERE position(convert_to('%PDF', 'UTF8') in content_sealed) > 0"));

        JsonObject lying = new JsonObject().put("body", "x").put("attachments", new JsonArray().add(new JsonObject()
                .put("filename", "photo.png").put("contentType", "image/png").put("data", Base64.getEncoder().encodeToString(PDF))));
        Response mismatch = doctor.http().post("/api/v1/conversations/" + conversation + "/messages", lying);
        assertEquals(415, mismatch.status());
        assertEquals("attachment_type_mismatch", mismatch.json().getString("code"));
        JsonObject script = new JsonObject().put("body", "x").put("attachments", new JsonArray().add(new JsonObject()
                .put("filename", "a.pdf").put("contentType", "application/pdf")
                .put("data", Base64.getEncoder().encodeToString("<script>".getBytes(StandardCharsets.UTF_8)))));
        assertEquals("attachment_type_refused", doctor.http().post("/api/v1/conversations/" + conversation + "/messages", script)
                .json().getString("code"));
        byte[] big = new byte[3000];
        System.arraycopy(PDF, 0, big, 0, PDF.length);
        JsonObject tooBig = new JsonObject().put("body", "x").put("attachments", new JsonArray().add(new JsonObject()
                .put("filename", "big.pdf").put("contentType", "application/pdf").put("data", Base64.getEncoder().encodeToString(big))));
        Response large = doctor.http().post("/api/v1/conversations/" + conversation + "/messages", tooBig);
        assertEquals(413, large.status());
        assertEquals("attachment_too_large", large.json().getString("code"));
    }

    @Test
    void anOfflinePatientGetsTheMessageOnReconnectAndProfessionalsTalkInGroups() {
        Person patient = hub.people().patient("Thomas");
        Person doctor = hub.people().professional("Dr Group", "physician");
        treats(doctor, patient);
        JsonObject cursor;
        try (WsTestClient socket = live(patient)) {
            hub.hub().streams().append(patient.id(), "document.arrived", new JsonObject()).await();
            JsonObject event = socket.awaitEvents(1).get(0);
            cursor = new JsonObject().put("epoch", event.getString("epoch")).put("offset", event.getLong("offset"));
        }
        String conversation = start(doctor, patient, "Pendant votre absence");
        try (WsTestClient back = WsTestClient.subscribed(hub.port(), patient.accessToken(), cursor)) {
            JsonObject missed = back.awaitType("message.created");
            assertEquals(conversation, missed.getJsonObject("data").getString("conversationId"));
        }

        Person nurse = hub.people().professional("Infirmière", "nurse");
        Person pharmacist = hub.people().professional("Pharmacien", "pharmacist");
        Response group = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Équipe de soins")
                .put("participants", new JsonArray().add(nurse.id().toString()).add(pharmacist.id().toString()))
                .put("message", new JsonObject().put("body", "Réunion demain")));
        assertEquals(201, group.status(), group.body());
        assertEquals(3, nurse.http().get("/api/v1/conversations").json().getJsonArray("items").getJsonObject(0)
                .getJsonArray("participants").size());
        assertEquals(201, pharmacist.http().post("/api/v1/conversations/" + group.json().getString("conversationId") + "/messages",
                new JsonObject().put("body", "OK")).status());
    }

    @Test
    void theSameOperationsWorkAsSocketCommands() {
        Person patient = hub.people().patient("Ulysse");
        Person doctor = hub.people().professional("Dr Socket", "physician");
        treats(doctor, patient);
        try (WsTestClient socket = live(doctor)) {
            socket.send(new JsonObject().put("type", "command").put("id", "s1").put("op", "conversation.start")
                    .put("args", new JsonObject().put("subject", "Par socket")
                            .put("participants", new JsonArray().add(patient.id().toString()))
                            .put("message", new JsonObject().put("body", "Bonjour"))));
            JsonObject result = socket.awaitType("result");
            String conversation = result.getJsonObject("result").getString("conversationId");
            socket.send(new JsonObject().put("type", "command").put("id", "s2").put("op", "message.send").put("idempotencyKey", "k")
                    .put("args", new JsonObject().put("conversationId", conversation).put("body", "Deuxième")));
            assertEquals(2, socket.awaitFrame("s2", f -> "s2".equals(f.getString("id"))).getJsonObject("result").getLong("seq"));
            socket.send(new JsonObject().put("type", "command").put("id", "s3").put("op", "message.send").put("idempotencyKey", "k")
                    .put("args", new JsonObject().put("conversationId", conversation).put("body", "Deuxième")));
            assertEquals(2, socket.awaitFrame("s3", f -> "s3".equals(f.getString("id"))).getJsonObject("result").getLong("seq"));
        }
        try (WsTestClient socket = live(patient)) {
            socket.send(new JsonObject().put("type", "command").put("id", "p1").put("op", "conversation.start")
                    .put("args", new JsonObject().put("subject", "x").put("participants", new JsonArray().add(doctor.id().toString()))
                            .put("message", new JsonObject().put("body", "x"))));
            assertEquals("patients_cannot_start", socket.awaitType("error").getString("code"));
        }
    }

    @Test
    void conversationsSilentPastTheRetentionAreDeletedWithTheirMessagesAndFiles() {
        Person patient = hub.people().patient("Vieux");
        Person doctor = hub.people().professional("Dr Old", "physician");
        treats(doctor, patient);
        String old = start(doctor, patient, "Ancienne");
        String recent = start(doctor, patient, "Récente");
        hub.sql().execute("UPDATE conversation SET last_activity_at = now() - interval '3651 days' WHERE id = '" + old + "'");
        hub.hub().jobs().runNow("messaging.retention").await();
        assertEquals(0, hub.sql().count("SELECT count(*) FROM message WHERE conversation_id = ?", java.util.UUID.fromString(old)));
        assertEquals(1, hub.sql().count("SELECT count(*) FROM conversation WHERE id = ?", java.util.UUID.fromString(recent)));
        assertEquals(404, patient.http().get("/api/v1/conversations/" + old + "/messages").status());
    }

    private static void treats(Person doctor, Person patient) {
        hub.people().treats(doctor, patient);
    }

    private static String start(Person doctor, Person patient, String subject) {
        Response started = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", subject)
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Premier message")));
        assertEquals(201, started.status(), started.body());
        return started.json().getString("conversationId");
    }

    private static WsTestClient live(Person person) {
        return hub.people().live(person);
    }
}

package fr.relais.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A message without attachments is one statement that commits alone: its events and its audit entry are written by
 * that statement, and a sender blocked while it waited for the conversation leaves nothing behind.
 */
class MessageWriteTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aProfessionalsMessageIsAuditedOnceWithItAndAPatientsIsNot() {
        Person doctor = hub.people().professional("Dr Trace", "physician");
        Person patient = hub.people().patient("Patiente tracée");
        String conversation = hub.people().conversation(doctor, patient);
        String messages = "/api/v1/conversations/" + conversation + "/messages";

        assertEquals(201, doctor.http().post(messages, new JsonObject().put("body", "Sans pièce jointe")).status());
        assertEquals(201, doctor.http().post(messages, new JsonObject().put("body", "Avec une pièce jointe")
                .put("attachments", new JsonArray().add(new JsonObject().put("filename", "bilan.pdf")
                        .put("contentType", "application/pdf").put("data", Base64.getEncoder().encodeToString(PDF))))).status());
        assertEquals(201, patient.http().post(messages, new JsonObject().put("body", "Merci")).status());

        assertEquals(2, audited("message.send", conversation), "each of the professional's two sends, none of the patient's");
    }

    @Test
    void aMessageBetweenProfessionalsWithNoPatientIsSentAndAuditedNowhere() {
        Person doctor = hub.people().professional("Dr Confrère", "physician");
        Person colleague = hub.people().professional("Dr Consultée", "physician");
        String conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Avis")
                .put("participants", new JsonArray().add(colleague.id().toString()))
                .put("message", new JsonObject().put("body", "Un avis ?"))).json().getString("conversationId");
        String messages = "/api/v1/conversations/" + conversation + "/messages";

        try (WsTestClient colleagueSocket = hub.people().live(colleague)) {
            Response sent = doctor.http().post(messages, new JsonObject().put("body", "Sans patient"));
            assertEquals(201, sent.status(), sent.body());
            JsonObject told = colleagueSocket.awaitType("message.created");
            assertEquals(conversation, told.getJsonObject("data").getString("conversationId"));
        }
        assertEquals(2, colleague.http().get(messages).json().getJsonArray("items").size());
        assertEquals(0, audited("message.send", conversation), "no patient, no patient's data: nothing to audit");
    }

    @Test
    void aSenderBlockedWhileTheMessageWaitedForTheConversationLeavesNothing() throws Exception {
        blockedWhileSending("Dr Bloqué", new JsonObject().put("body", "Trop tard"));
    }

    @Test
    void aSenderBlockedWhileAMessageWithAttachmentsWaitedLeavesNothingEither() throws Exception {
        blockedWhileSending("Dr Bloqué avec pièce jointe", new JsonObject().put("body", "Trop tard, avec le bilan")
                .put("attachments", new JsonArray().add(new JsonObject().put("filename", "bilan.pdf")
                        .put("contentType", "application/pdf").put("data", Base64.getEncoder().encodeToString(PDF)))));
    }

    @Test
    void aReadMarkThatWaitedForAMessageInFlightLeavesThatMessageUnread() throws Exception {
        Person doctor = hub.people().professional("Dr Concurrent", "physician");
        Person patient = hub.people().patient("Patiente qui lit");
        String conversation = hub.people().conversation(doctor, patient);
        String messages = "/api/v1/conversations/" + conversation + "/messages";
        assertEquals(201, doctor.http().post(messages, new JsonObject().put("body", "Deuxième")).status());
        hub.awaitEventsNumbered();

        CompletableFuture<Response> read;
        try (Connection inFlight = DriverManager.getConnection(hub.hub().database().jdbcUrl(), hub.hub().database().jdbcProperties())) {
            inFlight.setAutoCommit(false);
            // what a third message does to the conversation, held uncommitted while the patient marks the second read
            try (var third = inFlight.prepareStatement("""
                    WITH numbered AS (UPDATE conversation SET message_count = message_count + 1 WHERE id = ?::uuid
                                      RETURNING id, message_count),
                    inserted AS (INSERT INTO message (id, conversation_id, seq, sender_id, body_sealed, key_id)
                                 SELECT gen_random_uuid(), id, message_count, ?::uuid, '\\x00', 'k' FROM numbered)
                    UPDATE conversation_participant SET unread = unread + 1 WHERE conversation_id = ?::uuid AND account_id = ?::uuid""")) {
                third.setString(1, conversation);
                third.setString(2, doctor.id().toString());
                third.setString(3, conversation);
                third.setString(4, patient.id().toString());
                assertEquals(1, third.executeUpdate());
            }
            read = CompletableFuture.supplyAsync(() -> patient.http().post("/api/v1/conversations/" + conversation + "/read",
                    new JsonObject().put("upTo", 2)));
            Eventually.await("the read mark waiting for the participant's row", DEADLINE, () -> hub.sql().count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH me AS%'"), n -> n == 1);
            inFlight.commit();
        }
        Response marked = read.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, marked.status(), marked.body());
        assertEquals(1, marked.json().getJsonObject("unread").getLong("conversation"), "the third message, committed meanwhile");
        assertEquals(1, patient.http().get("/api/v1/conversations/unread").json().getLong("total"));
    }

    /** The doctor sends {@code message} while the patient's block of them is held uncommitted, then committed. */
    private static void blockedWhileSending(String doctorName, JsonObject message) throws Exception {
        Person doctor = hub.people().professional(doctorName, "physician");
        Person patient = hub.people().patient("Patiente qui bloque");
        String conversation = hub.people().conversation(doctor, patient);
        String messages = "/api/v1/conversations/" + conversation + "/messages";
        hub.awaitEventsNumbered();

        CompletableFuture<Response> sent;
        try (Connection blocking = DriverManager.getConnection(hub.hub().database().jdbcUrl(), hub.hub().database().jdbcProperties());
             WsTestClient patientSocket = hub.people().live(patient)) {
            blocking.setAutoCommit(false);
            // what a block does to the conversation, held uncommitted while the message is on its way
            try (var cut = blocking.prepareStatement("UPDATE conversation_participant SET cut_off = true "
                    + "WHERE conversation_id = ?::uuid AND account_id = ?::uuid")) {
                cut.setString(1, conversation);
                cut.setString(2, doctor.id().toString());
                assertEquals(1, cut.executeUpdate());
            }
            sent = CompletableFuture.supplyAsync(() -> doctor.http().post(messages, message));
            Eventually.await("the message waiting for the blocked row", DEADLINE, () -> hub.sql().count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH me AS%'"), n -> n == 1);
            blocking.commit();

            Response refused = sent.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(404, refused.status(), refused.body());
            assertEquals(1, patient.http().get(messages).json().getJsonArray("items").size(), "only the first message");
            assertEquals(0, hub.sql().count("SELECT count(*) FROM stream_outbox"), "no event left to number");
            assertEquals(0, hub.sql().count("SELECT count(*) FROM attachment WHERE conversation_id = ?::uuid", conversation),
                    "no attachment kept");
            assertEquals(List.of(), patientSocket.events().stream().filter(e -> "message.created".equals(e.getString("type"))).toList());
        }
    }

    /** Audit entries of {@code action} about this conversation, chained or not yet (one query: the chainer moves them). */
    private static long audited(String action, String conversation) {
        return hub.sql().count("""
                SELECT count(*) FROM (SELECT action, details FROM audit_log UNION ALL SELECT action, details FROM audit_pending) a
                WHERE action = ? AND details->>'conversation' = ?""", action, conversation);
    }
}

package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fr.relais.testing.ClockSensitive;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Care relationships come from the patient only (declared, or a professional's request the patient accepts), and
 * blocking cuts a professional off everything at once: writing to a patient never grants reading.
 */
@ClockSensitive
class CareRelationshipTest {
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void depositingOrBookingNeverGrantsReading() {
        Person patient = hub.people().patient("Écrire n'est pas lire");
        Person doctor = hub.people().professional("Dr Dépôt", "physician");
        Person dentist = hub.people().professional("Dr Molaire", "dentist");

        assertEquals(201, doctor.http().post("/api/v1/documents", document("Compte rendu").put("ins", ins(patient))).status());
        assertEquals(201, dentist.http().post("/api/v1/appointments", appointment(patient)).status());
        for (Person writer : new Person[] {doctor, dentist}) {
            assertCannotRead(writer, patient);
            assertEquals(0, new JsonArray(writer.http().get("/api/v1/patients").body()).size(), "not among their patients");
        }
        assertEquals(0, hub.sql().count("SELECT count(*) FROM care_relationship WHERE patient_id = ?", patient.id()));
    }

    @Test
    void aRequestThePatientAcceptsLiveBeginsTheRelationshipAndAnEndedOneStaysEnded() {
        Person patient = hub.people().patient("Consentante");
        Person doctor = hub.people().professional("Dr Demande", "physician");
        Person stranger = hub.people().patient("Autre patiente");
        String requestId;
        try (WsTestClient patientSocket = hub.people().live(patient); WsTestClient doctorSocket = hub.people().live(doctor)) {
            Response asked = doctor.http().post("/api/v1/care-requests", new JsonObject().put("ins", ins(patient)));
            assertEquals(201, asked.status(), asked.body());
            requestId = asked.json().getString("id");
            assertEquals("pending", asked.json().getString("status"));
            assertFalse(asked.json().containsKey("patientName"), "asking by INS reveals no name");
            Response again = doctor.http().post("/api/v1/care-requests", new JsonObject().put("patientId", patient.id().toString()));
            assertEquals(200, again.status(), "one pending request, answered again");
            assertEquals(requestId, again.json().getString("id"));

            JsonObject told = patientSocket.awaitType("care.requested").getJsonObject("data");
            assertEquals(requestId, told.getString("requestId"));
            assertEquals("Dr Demande", told.getJsonObject("professional").getString("displayName"));
            JsonArray pending = new JsonArray(patient.http().get("/api/v1/me/care-requests").body());
            assertEquals(1, pending.size());
            assertCannotRead(doctor, patient); // a request is not a relationship

            assertEquals(404, stranger.http().post("/api/v1/me/care-requests/" + requestId + "/accept", new JsonObject()).status(),
                    "another patient cannot accept it");
            assertEquals(403, doctor.http().post("/api/v1/me/care-requests/" + requestId + "/accept", new JsonObject()).status(),
                    "nor the professional who asked");
            Response accepted = patient.http().post("/api/v1/me/care-requests/" + requestId + "/accept", new JsonObject());
            assertEquals(200, accepted.status(), accepted.body());
            JsonObject acceptance = doctorSocket.awaitType("care.accepted").getJsonObject("data");
            assertEquals("Consentante", acceptance.getString("patientName"));
        }
        assertEquals(200, doctor.http().get("/api/v1/patients/" + patient.id() + "/documents").status());
        assertEquals(200, doctor.http().get("/api/v1/patients/" + patient.id() + "/profile").status());
        assertEquals(404, patient.http().post("/api/v1/me/care-requests/" + requestId + "/accept", new JsonObject()).status(),
                "a request is decided once");

        assertEquals(204, patient.http().delete("/api/v1/me/care-relationships/" + doctor.id()).status());
        assertCannotRead(doctor, patient);
        assertEquals(201, doctor.http().post("/api/v1/documents", document("Après la fin").put("ins", ins(patient))).status());
        assertEquals(201, doctor.http().post("/api/v1/appointments", appointment(patient)).status());
        assertCannotRead(doctor, patient); // an ended relationship stays ended, whatever the professional writes

        String second = doctor.http().post("/api/v1/care-requests", new JsonObject().put("ins", ins(patient))).json().getString("id");
        assertEquals(204, patient.http().post("/api/v1/me/care-requests/" + second + "/decline", new JsonObject()).status());
        Response pestering = doctor.http().post("/api/v1/care-requests", new JsonObject().put("ins", ins(patient)));
        assertEquals(409, pestering.status());
        assertEquals("care_request_declined", pestering.json().getString("code"));
        assertCannotRead(doctor, patient);
    }

    @Test
    void blockingCutsOffOldConversationsAttachmentsDocumentsAndNewRequests() {
        Person patient = hub.people().patient("Bloqueuse");
        Person blocked = hub.people().professional("Dr Bloqué", "physician");
        Person colleague = hub.people().professional("Dr Collègue", "physician");
        hub.people().treats(blocked, patient);
        hub.people().treats(colleague, patient);
        Response started = blocked.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Voici l'ordonnance").put("attachments", new JsonArray()
                        .add(new JsonObject().put("filename", "ordonnance.pdf").put("contentType", "application/pdf").put("data", PDF)))));
        assertEquals(201, started.status(), started.body());
        String conversation = started.json().getString("conversationId");
        String attachment = started.json().getJsonArray("attachments").getJsonObject(0).getString("id");
        JsonObject deposit = document("Ancien compte rendu").put("ins", ins(patient));
        String document = withKey(blocked, "/api/v1/documents", deposit, "deposit-1").json().getString("id");
        String messages = "/api/v1/conversations/" + conversation + "/messages";
        assertEquals(201, withKey(blocked, messages, new JsonObject().put("body", "Suite"), "send-1").status());
        try (WsTestClient socket = hub.people().live(blocked)) {
            assertEquals("result", readOverTheSocket(socket, conversation, "read-1").getString("type"));
        }
        assertEquals(201, blocked.http().post("/api/v1/appointments", appointment(patient)).status());
        assertEquals(1, appointmentsOf(blocked).size());

        Person asking = hub.people().professional("Dr Attente", "physician");
        String request = asking.http().post("/api/v1/care-requests", new JsonObject().put("ins", ins(patient))).json().getString("id");
        try (WsTestClient blockedSocket = hub.people().live(blocked); WsTestClient askingSocket = hub.people().live(asking)) {
            hub.people().blocks(patient, blocked);
            hub.people().blocks(patient, asking);
            assertEquals(patient.id().toString(), blockedSocket.awaitType("care.ended").getJsonObject("data").getString("patientId"),
                    "told as when the patient ends the relationship");
            assertEquals(request, askingSocket.awaitType("care.declined").getJsonObject("data").getString("requestId"),
                    "a pending request is declined");
        }
        assertEquals(0, appointmentsOf(blocked).size(), "not even the appointments they booked with the patient");

        // a retry with a key used before the block is refused like anything else: nothing comes back from a store
        assertEquals(404, withKey(blocked, "/api/v1/documents", deposit, "deposit-1").status());
        assertEquals(404, withKey(blocked, messages, new JsonObject().put("body", "Suite"), "send-1").status());
        try (WsTestClient socket = hub.people().live(blocked)) {
            assertEquals("not_found", readOverTheSocket(socket, conversation, "read-1").getString("code"));
        }

        assertEquals(404, blocked.http().get(messages).status());
        assertEquals(404, blocked.http().get("/api/v1/conversations/" + conversation + "/attachments/" + attachment).status());
        assertEquals(0, blocked.http().get("/api/v1/conversations").json().getJsonArray("items").size());
        try (WsTestClient socket = hub.people().live(blocked)) {
            socket.send(new JsonObject().put("type", "command").put("id", "old").put("op", "conversation.messages")
                    .put("args", new JsonObject().put("conversationId", conversation)));
            assertEquals("not_found", socket.awaitFrame("the refusal", f -> "old".equals(f.getString("id"))).getString("code"));
        }
        long before = events(blocked);
        assertEquals(201, patient.http().post(messages, new JsonObject().put("body", "Réponse après le blocage")).status());
        assertEquals(before, events(blocked), "the patient's reply does not reach a blocked professional");

        Response brought = colleague.http().post("/api/v1/conversations", new JsonObject().put("subject", "À trois")
                .put("participants", new JsonArray().add(patient.id().toString()).add(blocked.id().toString()))
                .put("message", new JsonObject().put("body", "x")));
        assertEquals(403, brought.status(), "a colleague cannot bring a blocked professional in");
        assertEquals(404, blocked.http().get("/api/v1/documents/" + document).status(), "not even their own old documents");
        assertEquals(404, blocked.http().post("/api/v1/documents/" + document + "/versions", document("Nouvelle version")).status());
        assertEquals(404, blocked.http().post("/api/v1/documents", document("Nouveau").put("ins", ins(patient))).status());
        assertEquals(404, blocked.http().post("/api/v1/appointments", appointment(patient)).status());
        assertEquals(404, blocked.http().post("/api/v1/care-requests", new JsonObject().put("ins", ins(patient))).status());
        assertCannotRead(blocked, patient);

        String rpps = blocked.http().get("/api/v1/me").json().getString("rpps");
        Response declared = patient.http().post("/api/v1/me/care-relationships", new JsonObject().put("rpps", rpps));
        assertEquals(409, declared.status(), "unblock first");
        assertEquals(204, patient.http().delete("/api/v1/me/blocked-professionals/" + blocked.id()).status());
        assertEquals(404, blocked.http().get(messages).status(), "unblocking does not bring the relationship back");
        hub.people().treats(blocked, patient);
        assertEquals(200, blocked.http().get(messages).status(), "the patient's new declaration does");
    }

    private static void assertCannotRead(Person professional, Person patient) {
        String base = "/api/v1/patients/" + patient.id();
        for (String path : new String[] {base, base + "/documents", base + "/profile"}) {
            Response read = professional.http().get(path);
            assertEquals(404, read.status(), path + " " + read.body());
        }
    }

    private static Response withKey(Person person, String path, JsonObject body, String key) {
        return hub.http().send("POST", path, java.util.Map.of("Authorization", "Bearer " + person.accessToken(),
                "Idempotency-Key", key), "application/json", body.encode());
    }

    private static JsonObject readOverTheSocket(WsTestClient socket, String conversation, String key) {
        String id = "read-" + java.util.UUID.randomUUID();
        socket.send(new JsonObject().put("type", "command").put("id", id).put("op", "conversation.messages").put("idempotencyKey", key)
                .put("args", new JsonObject().put("conversationId", conversation)));
        return socket.awaitFrame(id, f -> id.equals(f.getString("id")));
    }

    private static JsonArray appointmentsOf(Person person) {
        java.time.LocalDate today = hub.clock().instant().atZone(fr.relais.testing.TestClock.PARIS).toLocalDate();
        return new JsonArray(person.http().get("/api/v1/appointments?from=" + today + "T00:00&to=" + today.plusDays(60) + "T00:00")
                .body());
    }

    private static long events(Person person) {
        return hub.sql().count("SELECT count(*) FROM stream_event WHERE recipient_id = ?", person.id());
    }

    private static String ins(Person patient) {
        return patient.http().get("/api/v1/me").json().getString("ins");
    }

    private static JsonObject document(String title) {
        return new JsonObject().put("kind", "discharge_report").put("title", title)
                .put("careDate", hub.clock().instant().atZone(fr.relais.testing.TestClock.PARIS).toLocalDate().toString())
                .put("contentType", "application/pdf").put("data", PDF);
    }

    private static JsonObject appointment(Person patient) {
        java.time.LocalDateTime start = hub.clock().instant().atZone(fr.relais.testing.TestClock.PARIS).toLocalDateTime()
                .plusDays(10).withHour(10).withMinute(0).withSecond(0).withNano(0);
        return new JsonObject().put("patientId", patient.id().toString()).put("startsAt", start.toString())
                .put("endsAt", start.plusMinutes(30).toString()).put("place", "Cabinet");
    }
}

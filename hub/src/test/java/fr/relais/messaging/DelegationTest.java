package fr.relais.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A professional lets their practice software act for them: it writes to their patients in their name ("Dr X via
 * Logiciel Y" for whoever reads), hears of its own messages and of the replies in the conversations it wrote in,
 * reads those replies, and loses all of it the moment the professional revokes it or the patient blocks it.
 */
class DelegationTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aPracticeSoftwareWritesInTheDoctorsNameHearsTheReplyAndStopsWhenRevoked() {
        String vendor = hub.people().organisation("software_vendor", "Éditeur Cabinet");
        Person software = hub.people().systemOf(vendor, "Logiciel Cabinet", "messages:write", "stream:read");
        Person doctor = hub.people().professional("Dr Martin", "physician");
        Person patient = hub.people().patient("Patiente de Dr Martin");
        hub.people().treats(doctor, patient);
        String conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Bonjour"))).json().getString("conversationId");

        Response notYet = software.http().post("/api/v1/conversations/" + conversation + "/messages", message(doctor, "Trop tôt"));
        assertEquals(403, notYet.status(), notYet.body());
        assertEquals("not_delegated", notYet.json().getString("code"));

        String clientId = software.http().get("/api/v1/me").json().getString("clientId");
        Response granted = doctor.http().post("/api/v1/me/delegations", new JsonObject().put("clientId", clientId));
        assertEquals(201, granted.status(), granted.body());
        assertEquals("Éditeur Cabinet", granted.json().getJsonObject("organisation").getString("name"));
        assertEquals(doctor.id().toString(), new JsonArray(software.http().get("/api/v1/delegations").body())
                .getJsonObject(0).getString("professionalId"), "the system learns whom it acts for");

        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), software.accessToken(), null)) {
            socket.awaitType("subscribed");
            Response sent = software.http().post("/api/v1/conversations/" + conversation + "/messages",
                    message(doctor, "Votre ordonnance est prête").put("idempotencyKey", "rx-1"));
            assertEquals(201, sent.status(), sent.body());
            assertEquals("Logiciel Cabinet", sent.json().getString("via"));
            assertEquals(doctor.id().toString(), sent.json().getString("senderId"), "the doctor is the author");

            JsonObject seen = patient.http().get("/api/v1/conversations/" + conversation + "/messages").json()
                    .getJsonArray("items").getJsonObject(1);
            assertEquals(doctor.id().toString(), seen.getString("senderId"));
            assertEquals("Logiciel Cabinet", seen.getString("via"), "the patient sees the system it came through");
            assertEquals(null, patient.http().get("/api/v1/conversations/" + conversation + "/messages").json()
                    .getJsonArray("items").getJsonObject(0).getValue("via"), "and nothing for what the doctor wrote");

            String reply = patient.http().post("/api/v1/conversations/" + conversation + "/messages",
                    new JsonObject().put("body", "Merci docteur")).json().getString("id");
            JsonObject accepted = socket.awaitEvents(2).get(0); // the socket started after the delegation.granted event
            assertEquals("message.accepted", accepted.getString("type"), socket.events().toString());
            assertEquals("rx-1", accepted.getJsonObject("data").getString("idempotencyKey"));
            JsonObject replied = socket.events().get(1);
            assertEquals("message.created", replied.getString("type"));
            assertEquals(reply, replied.getJsonObject("data").getString("messageId"));
            assertEquals(doctor.id().toString(), replied.getJsonObject("data").getString("onBehalfOf"));

            Response read = software.http().get("/api/v1/conversations/" + conversation + "/messages?onBehalfOf=" + doctor.id());
            assertEquals(200, read.status(), read.body());
            assertEquals("Merci docteur", read.json().getJsonArray("items").getJsonObject(2).getString("body"),
                    "the software reads the reply it is told of");

            socket.send(new JsonObject().put("type", "command").put("id", "s1").put("op", "message.send").put("idempotencyKey", "rx-2")
                    .put("args", message(doctor, "Rendez-vous confirmé").put("conversationId", conversation)));
            JsonObject overSocket = socket.awaitFrame("the socket send", frame -> "s1".equals(frame.getString("id")));
            assertEquals("Logiciel Cabinet", overSocket.getJsonObject("result").getString("via"), overSocket.encode());

            assertEquals(204, doctor.http().delete("/api/v1/me/delegations/" + software.id()).status());
            socket.awaitFrame("the revocation", frame -> "delegation.revoked".equals(frame.getString("type")));
            Response revoked = software.http().post("/api/v1/conversations/" + conversation + "/messages", message(doctor, "Encore"));
            assertEquals("not_delegated", revoked.json().getString("code"), revoked.body());
            assertEquals(403, software.http().get("/api/v1/conversations/" + conversation + "/messages?onBehalfOf=" + doctor.id()).status());
            patient.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject().put("body", "Vous êtes là ?"));
            doctor.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject().put("body", "Oui"));
            assertEquals(201, doctor.http().post("/api/v1/me/delegations", new JsonObject().put("clientId", clientId)).status());
            socket.awaitFrame("the new delegation, numbered after those messages", frame -> "delegation.granted".equals(frame.getString("type")));
            List<String> told = socket.events().stream().map(event -> event.getString("type")).toList();
            assertEquals(List.of("message.accepted", "message.created", "message.accepted",
                    "delegation.revoked", "delegation.granted"), told, "no message reaches a system no longer delegated");
            socket.frames().forEach(frame -> assertFalse(frame.encode().contains("Merci docteur") && !"result".equals(frame.getString("type")),
                    "events carry ids, never a body: " + frame));
        }
        assertEquals(204, doctor.http().delete("/api/v1/me/delegations/" + software.id()).status());
        assertEquals(404, doctor.http().delete("/api/v1/me/delegations/" + software.id()).status(), "revoked once");
    }

    @Test
    void aSystemActsWithTheRightsOfTheProfessionalItActsForAndNoMore() {
        String vendor = hub.people().organisation("software_vendor", "Éditeur Strict");
        Person software = hub.people().systemOf(vendor, "Logiciel Strict", "messages:write", "stream:read");
        Person depositOnly = hub.people().systemOf(vendor, "Logiciel Dépôts", "documents:write");
        Person doctor = hub.people().professional("Dr Prudent", "physician");
        Person stranger = hub.people().professional("Dr Inconnu", "physician");
        Person patient = hub.people().patient("Patient prudent");
        hub.people().treats(doctor, patient);
        for (Person professional : List.of(doctor, stranger)) {
            assertEquals(201, professional.http().post("/api/v1/me/delegations", new JsonObject()
                    .put("clientId", software.http().get("/api/v1/me").json().getString("clientId"))).status());
        }
        JsonObject start = new JsonObject().put("subject", "Résultats").put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Vos résultats sont arrivés"));

        Response noCare = software.http().post("/api/v1/conversations", start.copy().put("onBehalfOf", stranger.id().toString()));
        assertEquals(404, noCare.status(), "a system has no more right than its professional: " + noCare.body());
        Response started = software.http().post("/api/v1/conversations", start.copy().put("onBehalfOf", doctor.id().toString()));
        assertEquals(201, started.status(), started.body());
        assertEquals("Logiciel Strict", started.json().getString("via"));
        String conversation = started.json().getString("conversationId");

        Response nobody = software.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject().put("body", "Sans nom"));
        assertEquals("onBehalfOf", nobody.json().getString("field"), nobody.body());
        Response scope = depositOnly.http().post("/api/v1/conversations/" + conversation + "/messages", message(doctor, "Hors scope"));
        assertEquals("insufficient_scope", scope.json().getString("code"), scope.body());
        Response asPatient = patient.http().post("/api/v1/conversations/" + conversation + "/messages", message(doctor, "Usurpation"));
        assertEquals("onBehalfOf", asPatient.json().getString("field"), "people act for themselves only: " + asPatient.body());
        Response elsewhere = software.http().post("/api/v1/conversations/" + conversation + "/messages", message(stranger, "Intrus"));
        assertEquals(404, elsewhere.status(), "a conversation its professional is not in: " + elsewhere.body());
        assertEquals(403, patient.http().post("/api/v1/me/delegations", new JsonObject().put("clientId", "x")).status(),
                "only professionals delegate");
        assertEquals(404, doctor.http().post("/api/v1/me/delegations", new JsonObject().put("clientId", "inconnu")).status());
        assertEquals(404, stranger.http().get("/api/v1/conversations/" + conversation + "/messages").status());

        assertEquals(201, patient.http().post("/api/v1/me/blocked-systems", new JsonObject().put("organisationId", vendor)).status());
        Response blocked = software.http().post("/api/v1/conversations/" + conversation + "/messages", message(doctor, "Bloqué"));
        assertEquals(404, blocked.status(), "the patient blocked the software's publisher: " + blocked.body());
        assertEquals(404, software.http().get("/api/v1/conversations/" + conversation + "/messages?onBehalfOf=" + doctor.id()).status());
        long toldBefore = messagesToldTo(software);
        assertEquals(201, doctor.http().post("/api/v1/conversations/" + conversation + "/messages",
                new JsonObject().put("body", "Je vous écris moi-même")).status(), "the doctor still writes in person");
        assertEquals(201, patient.http().post("/api/v1/conversations/" + conversation + "/messages",
                new JsonObject().put("body", "Merci")).status());
        assertEquals(toldBefore, messagesToldTo(software), "a system the patient blocked hears nothing of the conversation");
        assertEquals(1L, hub.sql().count("""
                SELECT count(*) FROM (SELECT details FROM audit_log UNION ALL SELECT details FROM audit_pending) a
                WHERE a.details::text LIKE ?""", "%" + software.id() + "%"), "the message it sent is audited with the system");

        Person blockedDoctor = hub.people().professional("Dr Bloqué", "physician");
        Person otherPatient = hub.people().patient("Patiente qui bloque");
        hub.people().treats(blockedDoctor, otherPatient);
        String earlier = hub.people().conversation(blockedDoctor, otherPatient);
        assertEquals(201, blockedDoctor.http().post("/api/v1/me/delegations", new JsonObject()
                .put("clientId", software.http().get("/api/v1/me").json().getString("clientId"))).status());
        assertEquals(404, software.http().get("/api/v1/conversations/" + earlier + "/messages?onBehalfOf=" + blockedDoctor.id()).status(),
                "a system reads only where it wrote for the professional");
        assertEquals(201, software.http().post("/api/v1/conversations/" + earlier + "/messages", message(blockedDoctor, "Avant")).status());
        hub.people().blocks(otherPatient, blockedDoctor);
        Response cutOff = software.http().post("/api/v1/conversations/" + earlier + "/messages", message(blockedDoctor, "Après"));
        assertEquals(404, cutOff.status(), "a system writes no more than the blocked professional it acts for: " + cutOff.body());
        assertEquals(404, software.http().get("/api/v1/conversations/" + earlier + "/messages?onBehalfOf=" + blockedDoctor.id()).status());
        assertEquals(1, new JsonArray(blockedDoctor.http().get("/api/v1/me/delegations").body()).size());
        assertEquals(403, software.http().get("/api/v1/me/delegations").status(), "a system lists whom it acts for, not this");
        assertEquals(403, doctor.http().get("/api/v1/delegations").status());
    }

    @Test
    void aSystemWithAgendaWriteBooksForTheDoctorWhoDelegatedAndNoOneElse() {
        String vendor = hub.people().organisation("software_vendor", "Éditeur Agenda");
        Person software = hub.people().systemOf(vendor, "Agenda Cabinet", "agenda:write");
        Person messagesOnly = hub.people().systemOf(vendor, "Messagerie seule", "messages:write");
        Person doctor = hub.people().professional("Dr Rendez-vous", "physician");
        Person patient = hub.people().patient("Patiente du rendez-vous");
        hub.people().treats(doctor, patient);
        JsonObject appointment = new JsonObject().put("patientId", patient.id().toString()).put("startsAt", "2027-03-28T10:00")
                .put("endsAt", "2027-03-28T10:20").put("place", "Cabinet").put("onBehalfOf", doctor.id().toString());

        assertEquals("not_delegated", software.http().post("/api/v1/appointments", appointment).json().getString("code"));
        for (Person system : List.of(software, messagesOnly)) {
            assertEquals(201, doctor.http().post("/api/v1/me/delegations", new JsonObject()
                    .put("clientId", system.http().get("/api/v1/me").json().getString("clientId"))).status());
        }
        assertEquals("insufficient_scope", messagesOnly.http().post("/api/v1/appointments", appointment).json().getString("code"));
        Response booked = software.http().post("/api/v1/appointments", appointment);
        assertEquals(201, booked.status(), booked.body());
        JsonObject seen = new JsonArray(patient.http().get("/api/v1/appointments?from=2027-03-01T00:00&to=2027-04-01T00:00").body())
                .getJsonObject(0);
        assertEquals(doctor.id().toString(), seen.getString("professionalId"), "booked in the doctor's name: " + seen);
        try (WsTestClient socket = WsTestClient.connect(hub.port(), software.accessToken())) {
            socket.send(new JsonObject().put("type", "command").put("id", "a1").put("op", "appointment.book")
                    .put("args", appointment.copy().put("startsAt", "2027-03-29T10:00").put("endsAt", "2027-03-29T10:20")));
            JsonObject answer = socket.awaitFrame("the booking", frame -> "a1".equals(frame.getString("id")));
            assertEquals("result", answer.getString("type"), answer.encode());
        }
        assertEquals(201, patient.http().post("/api/v1/me/blocked-systems", new JsonObject().put("organisationId", vendor)).status());
        Response blocked = software.http().post("/api/v1/appointments", appointment.copy().put("startsAt", "2027-03-30T10:00")
                .put("endsAt", "2027-03-30T10:20"));
        assertEquals("patient_not_found", blocked.json().getString("code"), "the patient blocked the software's publisher: " + blocked.body());
        assertEquals(201, doctor.http().post("/api/v1/appointments", appointment.copy().putNull("onBehalfOf")
                .put("startsAt", "2027-03-30T10:00").put("endsAt", "2027-03-30T10:20")).status(), "the doctor still books in person");
    }

    /** The message events numbered into {@code system}'s stream (a write's events are numbered before it is answered). */
    private static long messagesToldTo(Person system) {
        return hub.sql().count("SELECT count(*) FROM stream_event WHERE recipient_id = ? AND type LIKE 'message.%'", system.id());
    }

    private static JsonObject message(Person onBehalfOf, String body) {
        return new JsonObject().put("body", body).put("onBehalfOf", onBehalfOf.id().toString());
    }
}

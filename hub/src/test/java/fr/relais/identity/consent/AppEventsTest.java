package fr.relais.identity.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an app is sent of its patient's events: the granted kinds, ids and counts, nothing that tells of health or who. */
class AppEventsTest {
    private static String frame(String type, JsonObject data) {
        return new JsonObject().put("type", type).put("epoch", "e1").put("offset", 7).put("time", "2026-11-29T08:00:00Z")
                .put("data", data).encode();
    }

    @Test
    void anAgendaAppHearsOfAppointmentRemindersOnlyNotOfTreatmentsOrScreenings() {
        AppEvents agenda = new AppEvents(Set.of("launch/patient", "patient/Appointment.read"));
        JsonObject appointment = new JsonObject().put("reminderId", "r1").put("kind", "appointment").put("appointmentId", "a1")
                .put("dueAt", "2026-11-30T09:00:00+01:00");
        assertEquals(appointment, new JsonObject(agenda.view("reminder.due", frame("reminder.due", appointment))).getJsonObject("data"));
        for (String kind : Set.of("treatment", "vaccination", "screening")) {
            assertNull(agenda.view("reminder.due", frame("reminder.due", new JsonObject().put("kind", kind).put("treatmentId", "t1"))), kind);
        }
        assertNull(agenda.view("document.arrived", frame("document.arrived", new JsonObject().put("documentId", "d1"))));
    }

    @Test
    void aMessagesAppHearsThatMessagesArriveNotFromWhom() {
        AppEvents messages = new AppEvents(Set.of("launch/patient", "patient/Communication.read"));
        JsonObject data = new JsonObject(messages.view("message.created", frame("message.created", new JsonObject()
                .put("conversationId", "c1").put("messageId", "m1").put("seq", 3).put("senderId", "p1").put("senderName", "Dr X")
                .put("unread", new JsonObject().put("conversation", 1).put("total", 2))))).getJsonObject("data");
        assertEquals(Set.of("conversationId", "messageId", "seq", "unread"), data.fieldNames());
    }

    @Test
    void aProfileAppHearsOfItsSectionsOnly() {
        AppEvents weight = new AppEvents(Set.of("launch/patient", "patient/Observation.read"));
        assertEquals("measurements", new JsonObject(weight.view("profile.updated", frame("profile.updated",
                new JsonObject().put("section", "measurements").put("entryId", "e1")))).getJsonObject("data").getString("section"));
        assertNull(weight.view("profile.updated", frame("profile.updated", new JsonObject().put("section", "allergies"))));
    }
}

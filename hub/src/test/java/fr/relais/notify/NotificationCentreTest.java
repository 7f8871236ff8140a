package fr.relais.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The notification centre through the API: what happened to a person, newest first, with who and what, never their
 * own acts; a read state per item and up to an item, the same on every device and told to them live; pages; a
 * catalogue app sees and marks only what its consent shows it, and its reading is in the access history.
 */
class NotificationCentreTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void theCentreSaysWhoDidWhatNewestFirstAndLeavesOutOnesOwnActs() {
        Person doctor = hub.people().professional("Dr Claire Martin", "physician");
        Person patient = hub.people().patient("Inès Lambert");
        String conversation = hub.people().conversation(doctor, patient);
        send(patient, conversation, "Merci docteur");
        String appointment = book(doctor, patient);
        Response deposited = patient.http().post("/api/v1/documents", new JsonObject().put("patientId", patient.id().toString())
                .put("kind", "other").put("title", "Mon carnet").put("careDate", "2026-01-15").put("contentType", "application/pdf")
                .put("data", java.util.Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        assertEquals(201, deposited.status(), deposited.body()); // her own deposit: not news to her

        JsonObject centre = centre(patient, "");
        List<JsonObject> items = items(centre);
        assertEquals(List.of("appointment.created", "message.created"), types(items), centre.encode());
        assertEquals(2, centre.getInteger("unread"));
        JsonObject booked = items.get(0);
        assertEquals("Dr Claire Martin", booked.getJsonObject("actor").getString("name"));
        assertEquals(doctor.id().toString(), booked.getJsonObject("actor").getString("id"));
        assertEquals(new JsonObject().put("kind", "appointment").put("id", appointment), booked.getJsonObject("target"));
        assertFalse(booked.getBoolean("read"));
        assertTrue(booked.getLong("id") > items.get(1).getLong("id"));
        assertEquals(new JsonObject().put("kind", "conversation").put("id", conversation), items.get(1).getJsonObject("target"));

        List<JsonObject> doctors = items(centre(doctor, ""));
        assertEquals(List.of("message.created", "care.started"), types(doctors), "the patient's reply and the care declared, "
                + "not the doctor's own booking nor first message");
        assertEquals("Inès Lambert", doctors.get(0).getJsonObject("actor").getString("name"));
    }

    @Test
    void eachItemIsReadOnItsOwnOrUpToOneAndEveryDeviceIsToldLive() {
        Person doctor = hub.people().professional("Dr Paul Roux", "physician");
        Person patient = hub.people().patient("Léa Moreau");
        String conversation = hub.people().conversation(doctor, patient);
        send(doctor, conversation, "Deuxième message");
        send(doctor, conversation, "Troisième message");
        List<JsonObject> items = items(centre(patient, ""));
        assertEquals(3, items.size());
        long newest = items.get(0).getLong("id");
        long middle = items.get(1).getLong("id");

        try (WsTestClient otherDevice = hub.people().live(patient)) {
            Response marked = patient.http().post("/api/v1/notifications/read", new JsonObject().put("ids", new JsonArray().add(middle)));
            assertEquals(200, marked.status(), marked.body());
            assertEquals(2, marked.json().getInteger("unread"));
            JsonObject told = otherDevice.awaitType("notifications.read");
            assertEquals(new JsonArray().add(middle), told.getJsonObject("data").getJsonArray("ids"));
            send(patient, conversation, "Ma réponse");
            long ownAct = head(patient); // her own message's event: not an item of her centre
            Response notAnItem = patient.http().post("/api/v1/notifications/read", new JsonObject().put("ids", new JsonArray().add(ownAct)));
            assertEquals(2, notAnItem.json().getInteger("unread"));
            assertEquals(0, hub.sql().count("SELECT count(*) FROM stream_event_read WHERE recipient_id = ? AND \"offset\" = ?",
                    patient.id(), ownAct), "what is not an item is not marked");

            List<JsonObject> after = items(centre(patient, ""));
            assertEquals(List.of(false, true, false), after.stream().map(item -> item.getBoolean("read")).toList());
            assertEquals(1, items(centre(patient, "?unread=true&before=" + newest)).size(), "the oldest is the only unread one below");

            marked = patient.http().post("/api/v1/notifications/read", new JsonObject().put("upTo", newest));
            assertEquals(0, marked.json().getInteger("unread"));
            assertEquals(newest, otherDevice.awaitType("notifications.read").getJsonObject("data").getLong("upTo"));
            assertTrue(items(centre(patient, "?unread=true")).isEmpty());
        }

        send(doctor, conversation, "Quatrième message");
        JsonObject centre = centre(patient, "");
        assertEquals(1, centre.getInteger("unread"), "what comes after the mark is new");
        assertFalse(items(centre).get(0).getBoolean("read"));
    }

    @Test
    void anItemPutAwayLeavesTheListReadAndTheOtherDevicesAreTold() {
        Person doctor = hub.people().professional("Dr Yves Colin", "physician");
        Person patient = hub.people().patient("Agathe Simon");
        String conversation = hub.people().conversation(doctor, patient);
        send(doctor, conversation, "Deuxième message");
        List<JsonObject> items = items(centre(patient, ""));
        long older = items.get(1).getLong("id");
        try (WsTestClient otherDevice = hub.people().live(patient)) {
            Response archived = patient.http().post("/api/v1/notifications/archive", new JsonObject().put("ids", new JsonArray().add(older)));
            assertEquals(200, archived.status(), archived.body());
            assertEquals(1, archived.json().getInteger("unread"));
            assertEquals(new JsonArray().add(older), otherDevice.awaitType("notifications.archived").getJsonObject("data").getJsonArray("ids"));
        }
        assertEquals(List.of(items.get(0).getLong("id")), items(centre(patient, "")).stream().map(item -> item.getLong("id")).toList());
        List<JsonObject> away = items(centre(patient, "?archived=true"));
        assertEquals(List.of(older), away.stream().map(item -> item.getLong("id")).toList());
        assertTrue(away.get(0).getBoolean("read"), "what is put away is read");
    }

    @Test
    void pagesGoBackThroughTheWholeHistoryOnce() {
        Person doctor = hub.people().professional("Dr Anne Petit", "physician");
        Person patient = hub.people().patient("Hugo Garnier");
        String conversation = hub.people().conversation(doctor, patient);
        for (int i = 2; i <= 5; i++) {
            send(doctor, conversation, "Message " + i);
        }
        List<Long> all = items(centre(patient, "")).stream().map(item -> item.getLong("id")).toList();
        assertEquals(5, all.size());
        List<Long> paged = new ArrayList<>();
        String query = "?limit=2";
        for (int page = 0; page < 5 && query != null; page++) {
            JsonObject got = centre(patient, query);
            items(got).forEach(item -> paged.add(item.getLong("id")));
            assertEquals(page < 2, got.getValue("next") != null, "a next page exactly when there is one: " + got.encode());
            query = got.getValue("next") == null ? null : "?limit=2&before=" + got.getLong("next");
        }
        assertEquals(all, paged);
        assertNull(centre(patient, "?limit=5").getValue("next"), "a full last page says it is the last");
    }

    @Test
    void aCatalogueAppSeesAndMarksOnlyWhatItsConsentShowsAndItsReadingIsRecorded() {
        Person doctor = hub.people().professional("Dr Marc Blanc", "physician");
        Person patient = hub.people().patient("Zoé Fabre");
        hub.people().conversation(doctor, patient);
        String appointment = book(doctor, patient);
        Person app = hub.people().connectedApp(patient, "Agenda Plus", "patient/Appointment.read");

        JsonObject centre = centre(app, "");
        List<JsonObject> items = items(centre);
        assertEquals(List.of("appointment.created"), types(items), "no message: the consent is for the agenda");
        assertEquals(1, centre.getInteger("unread"));
        assertNull(items.get(0).getValue("actor"), "no name for an app");
        assertFalse(items.get(0).getJsonObject("data").containsKey("actorId"));
        assertEquals(appointment, items.get(0).getJsonObject("target").getString("id"));

        long message = items(centre(patient, "")).stream().filter(item -> item.getString("type").equals("message.created"))
                .findFirst().orElseThrow().getLong("id");
        assertEquals(200, app.http().post("/api/v1/notifications/archive", new JsonObject().put("ids", new JsonArray().add(message))).status());
        assertTrue(items(centre(patient, "?archived=true")).isEmpty(), "an app cannot put away what it does not see");
        Response marked = app.http().post("/api/v1/notifications/read", new JsonObject().put("upTo", Long.MAX_VALUE));
        assertEquals(200, marked.status(), marked.body());
        assertEquals(0, marked.json().getInteger("unread"));
        List<JsonObject> patients = items(centre(patient, ""));
        assertEquals(List.of("record.accessed", "appointment.created", "message.created"), types(patients),
                "the app's first reading is told to the patient");
        assertEquals(List.of(false, true, false), patients.stream().map(item -> item.getBoolean("read")).toList(),
                "what the app does not see stays unread");
        assertEquals("Agenda Plus", patients.get(0).getJsonObject("actor").getString("name"));

        JsonArray history = patient.http().get("/api/v1/me/access-history").json().getJsonArray("items");
        assertTrue(history.stream().map(JsonObject.class::cast).anyMatch(entry -> "Agenda Plus".equals(entry.getString("actorName"))
                && "notifications".equals(entry.getString("what"))), history.encode());
    }

    @Test
    void badRequestsAreRefusedWithTheirCodeAndSystemsHaveNoCentre() {
        Person patient = hub.people().patient("Requêtes douteuses");
        Map<String, String> badQueries = Map.of("?limit=0", "invalid_field", "?limit=51", "invalid_field",
                "?limit=beaucoup", "invalid_field", "?before=0", "invalid_field", "?unread=oui", "invalid_field");
        badQueries.forEach((query, code) -> {
            Response refused = patient.http().get("/api/v1/notifications" + query);
            assertEquals(400, refused.status(), query + " " + refused.body());
            assertEquals(code, refused.json().getString("code"), query);
        });
        List<JsonObject> badBodies = List.of(new JsonObject(), new JsonObject().put("ids", new JsonArray().add(1)).put("upTo", 1),
                new JsonObject().put("ids", "1"), new JsonObject().put("ids", new JsonArray()),
                new JsonObject().put("ids", new JsonArray().add(-1)), new JsonObject().put("ids", new JsonArray().add("1")),
                new JsonObject().put("upTo", 1.5), new JsonObject().put("upTo", 0));
        for (JsonObject body : badBodies) {
            Response refused = patient.http().post("/api/v1/notifications/read", body);
            assertEquals(400, refused.status(), body.encode() + " " + refused.body());
        }
        assertEquals("invalid_request", patient.http().post("/api/v1/notifications/archive",
                new JsonObject().put("ids", new JsonArray().add(1)).put("upTo", 1)).json().getString("code"));
        for (JsonObject body : List.of(new JsonObject(), new JsonObject().put("ids", new JsonArray().add("1")))) {
            assertEquals(400, patient.http().post("/api/v1/notifications/archive", body).status(), body.encode());
        }
        assertEquals(400, patient.http().get("/api/v1/notifications?archived=oui").status());
        assertEquals(401, hub.http().get("/api/v1/notifications").status());
        Person lab = hub.people().integrator("Labo sans centre", "documents:write", "stream:read");
        assertEquals(403, lab.http().get("/api/v1/notifications").status());
        assertEquals(403, lab.http().post("/api/v1/notifications/read", new JsonObject().put("upTo", 1)).status());
    }

    /** The newest offset of the person's stream, once every committed event is numbered. */
    private static long head(Person person) {
        hub.awaitEventsNumbered();
        return hub.sql().count("SELECT head FROM stream WHERE recipient_id = ?", person.id());
    }

    private static JsonObject centre(Person person, String query) {
        Response response = person.http().get("/api/v1/notifications" + query);
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    private static List<JsonObject> items(JsonObject centre) {
        return centre.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    }

    private static List<String> types(List<JsonObject> items) {
        return items.stream().map(item -> item.getString("type")).toList();
    }

    private static void send(Person person, String conversation, String body) {
        Response sent = person.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject().put("body", body));
        assertEquals(201, sent.status(), sent.body());
    }

    private static String book(Person doctor, Person patient) {
        LocalDateTime start = hub.clock().instant().atZone(TestClock.PARIS).toLocalDateTime().plusDays(20)
                .withHour(10).withMinute(30).withSecond(0).withNano(0);
        Response booked = doctor.http().post("/api/v1/appointments", new JsonObject().put("patientId", patient.id().toString())
                .put("startsAt", start.toString()).put("endsAt", start.plusMinutes(20).toString()).put("place", "Cabinet"));
        assertEquals(201, booked.status(), booked.body());
        return booked.json().getString("id");
    }
}

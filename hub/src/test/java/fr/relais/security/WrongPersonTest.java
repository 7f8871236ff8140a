package fr.relais.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every REST endpoint and socket command that touches a patient's data, tried as each wrong person: a professional
 * who never treated the patient, one who only wrote to them (a deposit, a booking), one the patient blocked (who
 * wrote and took part before), another patient, an integrator, a system whose organisation the patient blocked
 * (which deposited before), an admin, a catalogue app another patient connected, an app the patient connected for
 * another kind of data. Each is refused (403 or 404), nothing
 * changes, and the rightful people read the same addresses (so the table points at real data).
 */
class WrongPersonTest {
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    private static Person patient;
    private static Person doctor;
    private static final Map<String, Person> wrong = new LinkedHashMap<>();
    private static String conversation;
    private static String attachment;
    private static String document;
    private static String systemDocument;
    private static String allergy;
    private static String appointment;

    @BeforeAll
    static void aPatientWithDataEverywhere() {
        patient = hub.people().patient("Patiente protégée");
        doctor = hub.people().professional("Dr Légitime", "physician");
        Person writer = hub.people().professional("Dr Écrivain", "physician");
        Person blocked = hub.people().professional("Dr Bloqué", "physician");
        hub.people().treats(doctor, patient);
        hub.people().treats(blocked, patient);
        conversation = created(doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(patient.id().toString()).add(blocked.id().toString()))
                .put("message", new JsonObject().put("body", "Bonjour").put("attachments", new JsonArray().add(new JsonObject()
                        .put("filename", "bilan.pdf").put("contentType", "application/pdf").put("data", PDF))))), "conversationId");
        attachment = doctor.http().get("/api/v1/conversations/" + conversation + "/messages").json().getJsonArray("items")
                .getJsonObject(0).getJsonArray("attachments").getJsonObject(0).getString("id");
        document = created(blocked.http().post("/api/v1/documents", deposit().put("patientId", patient.id().toString())), "id");
        allergy = created(patient.http().post("/api/v1/patients/" + patient.id() + "/profile/allergies",
                new JsonObject().put("substance", "Pénicilline").put("severity", "severe")), "id");
        appointment = created(blocked.http().post("/api/v1/appointments", appointmentFor(patient)), "id");
        created(writer.http().post("/api/v1/documents", deposit().put("patientId", patient.id().toString())), "id");
        created(writer.http().post("/api/v1/appointments", appointmentFor(patient)), "id");
        hub.people().blocks(patient, blocked);
        Person system = hub.people().integrator("Labo bloqué", "documents:write", "stream:read");
        JsonObject deposited = system.http().post("/api/v1/documents", deposit().put("patientId", patient.id().toString())).json();
        systemDocument = deposited.getString("id");
        created(patient.http().post("/api/v1/me/blocked-systems",
                new JsonObject().put("organisationId", deposited.getString("organisationId"))), "id");

        wrong.put("a professional who never treated the patient", hub.people().professional("Dr Inconnu", "physician"));
        wrong.put("a professional who only wrote to the patient", writer);
        wrong.put("a professional the patient blocked", blocked);
        wrong.put("another patient", hub.people().patient("Autre patient"));
        wrong.put("an integrator", hub.people().integrator("Labo", "documents:write", "stream:read"));
        wrong.put("a system whose organisation the patient blocked, which deposited before", system);
        wrong.put("an admin", hub.people().admin("Admin curieux"));
        wrong.put("a catalogue app another patient connected", hub.people().connectedApp(hub.people().patient("Patiente connectée"),
                "Appli d'une autre", "patient/DocumentReference.read", "patient/AllergyIntolerance.read", "patient/Communication.read"));
        wrong.put("a catalogue app the patient connected for their agenda only", hub.people().connectedApp(patient,
                "Appli agenda", "patient/Appointment.read"));

        Person software = hub.people().integrator("Logiciel délégué", "messages:write");
        String clientId = software.http().get("/api/v1/me").json().getString("clientId");
        for (String who : List.of("a professional who never treated the patient", "a professional the patient blocked")) {
            created(wrong.get(who).http().post("/api/v1/me/delegations", new JsonObject().put("clientId", clientId)), "systemId");
            actingFor.put("a system acting for " + who, new Person[] {software, wrong.get(who)});
        }
    }

    /** Systems and the professional each acts for (who delegated to it). */
    private static final Map<String, Person[]> actingFor = new LinkedHashMap<>();

    @Test
    void aSystemActingForAWrongProfessionalIsRefusedAsThatProfessionalWouldBe() {
        List<String> failures = new ArrayList<>();
        actingFor.forEach((who, pair) -> {
            String onBehalfOf = pair[1].id().toString();
            String c = "/api/v1/conversations/" + conversation;
            for (Response response : List.of(pair[0].http().get(c + "/messages?onBehalfOf=" + onBehalfOf),
                    pair[0].http().post(c + "/messages", new JsonObject().put("body", "intrusion").put("onBehalfOf", onBehalfOf)),
                    pair[0].http().post("/api/v1/conversations", new JsonObject().put("subject", "Intrusion").put("onBehalfOf", onBehalfOf)
                            .put("participants", new JsonArray().add(patient.id().toString()))
                            .put("message", new JsonObject().put("body", "intrusion"))))) {
                if (response.status() != 403 && response.status() != 404) {
                    failures.add(who + ": " + response.status() + " " + response.body());
                }
            }
            try (WsTestClient socket = WsTestClient.connect(hub.port(), pair[0].accessToken())) {
                for (String op : List.of("conversation.messages", "message.send")) {
                    socket.send(new JsonObject().put("type", "command").put("id", op).put("op", op).put("args", new JsonObject()
                            .put("conversationId", conversation).put("body", "intrusion").put("onBehalfOf", onBehalfOf)));
                    JsonObject answer = socket.awaitFrame(op, f -> op.equals(f.getString("id")));
                    if (!"error".equals(answer.getString("type"))) {
                        failures.add(who + ": " + op + " → " + answer.encode());
                    }
                }
            }
        });
        assertEquals(List.of(), failures);
        assertNothingChanged();
    }

    /** Method, path and body of every request about the patient's data. */
    private static List<String[]> requests() {
        String p = "/api/v1/patients/" + patient.id();
        String c = "/api/v1/conversations/" + conversation;
        String d = "/api/v1/documents/" + document;
        String entry = p + "/profile/allergies/" + allergy;
        String filing = new JsonObject().put("kind", "lab_result").put("careDate", today().toString()).encode();
        List<String[]> all = new ArrayList<>(List.of(
                new String[] {"GET", p, null}, new String[] {"GET", p + "/documents", null}, new String[] {"GET", p + "/profile", null},
                new String[] {"GET", p + "/appointments", null}, new String[] {"GET", p + "/conversations", null},
                new String[] {"GET", entry + "/history", null},
                new String[] {"POST", p + "/profile/allergies", "{\"substance\":\"Latex\",\"severity\":\"mild\"}"},
                new String[] {"PUT", entry, "{\"substance\":\"Latex\",\"severity\":\"mild\"}"}, new String[] {"DELETE", entry, null},
                new String[] {"GET", d, null}, new String[] {"GET", d + "/content", null},
                new String[] {"PUT", d + "/hidden", "{\"hidden\":true}"}, new String[] {"DELETE", d, null},
                new String[] {"POST", d + "/versions", deposit().encode()},
                new String[] {"GET", "/api/v1/documents/" + systemDocument, null},
                new String[] {"GET", "/api/v1/documents/" + systemDocument + "/content", null},
                new String[] {"POST", "/api/v1/documents/" + systemDocument + "/versions", deposit().encode()},
                new String[] {"GET", c + "/messages", null}, new String[] {"POST", c + "/messages", "{\"body\":\"intrusion\"}"},
                new String[] {"POST", c + "/read", "{\"upTo\":1}"}, new String[] {"POST", c + "/close", "{}"},
                new String[] {"GET", c + "/attachments/" + attachment, null},
                new String[] {"POST", c + "/attachments/" + attachment + "/file-to-record", filing},
                new String[] {"PUT", "/api/v1/appointments/" + appointment, appointmentFor(patient).encode()},
                new String[] {"POST", "/api/v1/appointments/" + appointment + "/cancel", "{}"}));
        return all;
    }

    @Test
    void everyRequestAboutThePatientsDataIsRefusedToEveryWrongPerson() {
        List<String> failures = new ArrayList<>();
        wrong.forEach((who, person) -> {
            for (String[] request : requests()) {
                Response response = hub.http().send(request[0], request[1], Map.of("Authorization", "Bearer " + person.accessToken()),
                        request[2] == null ? null : "application/json", request[2]);
                if (response.status() != 403 && response.status() != 404) {
                    failures.add(who + ": " + request[0] + " " + request[1] + " → " + response.status() + " " + response.body());
                }
            }
        });
        assertEquals(List.of(), failures);
        assertNothingChanged();
    }

    @Test
    void everySocketCommandAboutThePatientsConversationIsRefusedToEveryWrongPerson() {
        List<String> failures = new ArrayList<>();
        Map<String, JsonObject> commands = Map.of(
                "conversation.messages", new JsonObject().put("conversationId", conversation),
                "message.send", new JsonObject().put("conversationId", conversation).put("body", "intrusion"),
                "conversation.read", new JsonObject().put("conversationId", conversation).put("upTo", 1),
                "conversation.close", new JsonObject().put("conversationId", conversation),
                "profile.add", new JsonObject().put("patientId", patient.id().toString()).put("section", "measurements")
                        .put("entry", new JsonObject().put("type", "weight").put("unit", "kg").put("value", 70)
                                .put("at", today() + "T08:00:00+01:00")));
        wrong.forEach((who, person) -> {
            try (WsTestClient socket = WsTestClient.connect(hub.port(), person.accessToken())) {
                commands.forEach((op, args) -> {
                    socket.send(new JsonObject().put("type", "command").put("id", op).put("op", op).put("args", args));
                    JsonObject answer = socket.awaitFrame(op, f -> op.equals(f.getString("id")));
                    if (!"error".equals(answer.getString("type"))) {
                        failures.add(who + ": " + op + " → " + answer.encode());
                    }
                });
            }
        });
        assertEquals(List.of(), failures);
        assertNothingChanged();
    }

    @Test
    void theRightfulPeopleReadTheSameAddresses() {
        for (String[] request : requests()) {
            if (request[0].equals("GET")) {
                Person reader = request[1].contains("/documents/") ? patient : doctor;
                Response response = reader.http().get(request[1]);
                assertEquals(200, response.status(), request[1] + " " + response.body());
            }
        }
    }

    private static void assertNothingChanged() {
        JsonObject thread = doctor.http().get("/api/v1/conversations/" + conversation + "/messages").json();
        assertEquals(1, thread.getJsonArray("items").size(), "no message was added");
        assertTrue(doctor.http().get("/api/v1/conversations").body().contains("\"state\":\"open\""), "still open");
        assertEquals(200, patient.http().get("/api/v1/documents/" + document).status(), "the document is still there");
        assertEquals(false, patient.http().get("/api/v1/documents/" + document).json().getBoolean("hidden"));
        JsonArray allergies = patient.http().get("/api/v1/patients/" + patient.id() + "/profile").json().getJsonArray("allergies");
        assertEquals(1, allergies.size(), "the profile is untouched");
        assertEquals(0, hub.sql().count("SELECT count(*) FROM document WHERE replaces_id IS NOT NULL AND patient_id = ?", patient.id()));
        assertEquals(0, hub.sql().count("SELECT count(*) FROM appointment WHERE patient_id = ? AND status <> 'booked'", patient.id()));
    }

    private static String created(Response response, String field) {
        assertEquals(201, response.status(), response.body());
        return response.json().getString(field);
    }

    private static java.time.LocalDate today() {
        return hub.clock().instant().atZone(TestClock.PARIS).toLocalDate();
    }

    private static JsonObject deposit() {
        return new JsonObject().put("kind", "lab_result").put("title", "Bilan").put("careDate", today().toString())
                .put("contentType", "application/pdf").put("data", PDF);
    }

    private static JsonObject appointmentFor(Person someone) {
        LocalDateTime start = today().plusDays(12).atTime(9, 0);
        return new JsonObject().put("patientId", someone.id().toString()).put("startsAt", start.toString())
                .put("endsAt", start.plusMinutes(20).toString()).put("place", "Cabinet");
    }
}

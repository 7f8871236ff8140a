package fr.relais.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A patient who has left data in every corner of the hub, through the public API only: a conversation with their
 * doctor (subject, bodies, an attachment, read receipts, a message the doctor's software sent for them, so that it
 * hears of the patient's reply, a reply sent as a socket command with an idempotency key, and the messages read back
 * by a command with a key), documents and a new version, their own document, profile
 * entries and an update, appointments with planned reminders, reminder offsets, a calendar link, notification
 * preferences, a stream with an acknowledgement and a digest email of what was left unread, a care relationship,
 * a blocked professional, a first access by the doctor, and an emergency access with its reason.
 *
 * <p>Every text the patient or a professional wrote is distinctive and accented ({@link #written()}), so that a
 * search can tell whether it sits anywhere in clear, quoted-printable or not.
 */
public final class Footprint {
    private static final String MARK = "Énurésie-Zébulon-4217";
    private static final String PATIENT_NAME = "Zoé Empreinte";

    private final TestHub hub;
    private final List<String> written = new ArrayList<>();
    private final Person patient;
    private final Person doctor;
    private final Person urgentist;
    private String conversationId;

    private Footprint(TestHub hub) {
        this.hub = hub;
        People people = hub.people();
        this.patient = people.patient(PATIENT_NAME);
        this.doctor = people.professional("Dr Médecin Traitant", "physician");
        this.urgentist = people.professional("Dr Urgentiste", "physician");
    }

    /** Makes the patient, their doctor and an urgentist, and has them write everywhere. */
    public static Footprint leave(TestHub hub) {
        Footprint footprint = new Footprint(hub);
        footprint.settings();
        footprint.conversation();
        footprint.record();
        footprint.profile();
        footprint.agenda();
        footprint.emergency();
        footprint.digest();
        return footprint;
    }

    /** The patient's name, which other people's events may carry (a care relationship's start). */
    public String patientName() {
        return PATIENT_NAME;
    }

    public Person patient() {
        return patient;
    }

    public Person doctor() {
        return doctor;
    }

    public Person urgentist() {
        return urgentist;
    }

    public String conversationId() {
        return conversationId;
    }

    public String ins() {
        return patient.http().get("/api/v1/me").json().getString("ins");
    }

    /** Every distinctive text written, and the base64 forms in which file contents were sent. */
    public List<String> written() {
        return List.copyOf(written);
    }

    private String text(String where) {
        String text = MARK + "-" + where;
        written.add(text);
        return text;
    }

    /** A small PDF that carries a distinctive text, sent base64 as the API wants it. */
    private String pdf(String where) {
        String content = Base64.getEncoder().encodeToString(("%PDF-1.7\n% " + text(where) + "\n%%EOF\n").getBytes(StandardCharsets.UTF_8));
        written.add(content);
        return content;
    }

    private void settings() {
        hub.people().treats(doctor, patient);
        Person blocked = hub.people().professional("Dr Bloqué", "physician");
        hub.people().treats(blocked, patient); // told care.started, then care.ended by the block: never in a conversation
        hub.people().blocks(patient, blocked);
        Person former = hub.people().professional("Dr Ancien Médecin", "physician");
        hub.people().treats(former, patient); // told care.started with the patient's name, then care.ended
        assertEquals(204, patient.http().delete("/api/v1/me/care-relationships/" + former.id()).status());
        ok(patient.http().put("/api/v1/me/notifications", new JsonObject()
                .put("categories", new JsonObject().put("messages", "digest").put("reminders", "email"))
                .putNull("quietHours"))); // the digest leaves at whatever hour the test hubs' clock stands
        ok(patient.http().put("/api/v1/me/reminders", new JsonObject().put("offsets", new JsonArray().add("1d").add("2h"))));
        created(patient.http().post("/api/v1/agenda/calendar-link", new JsonObject()));
        ok(doctor.http().get("/api/v1/patients/" + patient.id()));
    }

    private void conversation() {
        try (WsTestClient socket = hub.people().live(patient)) {
            Response started = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", text("subject"))
                    .put("participants", new JsonArray().add(patient.id().toString()))
                    .put("message", new JsonObject().put("body", text("doctor-body")).put("attachments", new JsonArray()
                            .add(new JsonObject().put("filename", text("attachment-name") + ".pdf")
                                    .put("contentType", "application/pdf").put("data", pdf("attachment-content"))))));
            created(started);
            conversationId = started.json().getString("conversationId");
            List<JsonObject> events = socket.awaitEvents(2);
            socket.send(new JsonObject().put("type", "ack").put("offset", events.get(0).getLong("offset")));
            Eventually.await("the acknowledgement stored", Duration.ofSeconds(10),
                    () -> hub.sql().count("SELECT acked FROM stream WHERE recipient_id = ?", patient.id()), n -> n >= 1);
            ok(patient.http().post("/api/v1/conversations/" + conversationId + "/read", new JsonObject().put("upTo", 1)));

            // the doctor's software writes for them, so it hears of the patient's reply (whose senderId names them)
            Person software = hub.people().systemOf(hub.people().organisation("software_vendor", "Éditeur Empreinte"),
                    "Logiciel Empreinte", "messages:write");
            created(doctor.http().post("/api/v1/me/delegations", new JsonObject()
                    .put("clientId", software.http().get("/api/v1/me").json().getString("clientId"))));
            created(software.http().post("/api/v1/conversations/" + conversationId + "/messages", new JsonObject()
                    .put("body", text("software-body")).put("onBehalfOf", doctor.id().toString())));
            created(patient.http().post("/api/v1/conversations/" + conversationId + "/messages",
                    new JsonObject().put("body", text("patient-body"))));
            command(socket, "message.send", "reply-1", new JsonObject().put("conversationId", conversationId)
                    .put("body", text("socket-body")));
            command(socket, "conversation.messages", "messages-1", new JsonObject().put("conversationId", conversationId));
            command(socket, "conversation.list", "list-1", new JsonObject());
        }
        ok(doctor.http().post("/api/v1/conversations/" + conversationId + "/read", new JsonObject().put("upTo", 3)));
    }

    private void command(WsTestClient socket, String op, String key, JsonObject args) {
        String id = op + "-" + key;
        socket.send(new JsonObject().put("type", "command").put("id", id).put("op", op).put("idempotencyKey", key).put("args", args));
        JsonObject answer = socket.awaitFrame(id, frame -> id.equals(frame.getString("id")));
        assertEquals("result", answer.getString("type"), answer.encode());
    }

    private void record() {
        String ins = ins();
        Response deposited = doctor.http().post("/api/v1/documents", document("document").put("ins", ins));
        created(deposited);
        created(doctor.http().post("/api/v1/documents/" + deposited.json().getString("id") + "/versions", document("version")));
        created(patient.http().post("/api/v1/documents", document("own-document")));
        // a lab's system deposits too, and hears on its stream that the patient opened it and hid it
        Person lab = hub.people().integrator("Laboratoire de l'empreinte", "documents:write", "stream:read");
        Response result = lab.http().post("/api/v1/documents", document("lab-document").put("ins", ins));
        created(result);
        ok(patient.http().get("/api/v1/documents/" + result.json().getString("id")));
        ok(patient.http().put("/api/v1/documents/" + result.json().getString("id") + "/hidden", new JsonObject().put("hidden", true)));
        Response deleted = lab.http().post("/api/v1/documents", document("lab-deleted").put("ins", ins));
        created(deleted);
        assertEquals(204, patient.http().delete("/api/v1/documents/" + deleted.json().getString("id")).status());
    }

    private JsonObject document(String where) {
        return new JsonObject().put("kind", "prescription").put("title", text(where + "-title")).put("careDate", "2026-11-20")
                .put("contentType", "application/pdf").put("data", pdf(where + "-content"));
    }

    private void profile() {
        String base = "/api/v1/patients/" + patient.id() + "/profile";
        Response allergy = patient.http().post(base + "/allergies", new JsonObject().put("substance", text("allergy"))
                .put("reaction", text("reaction")).put("severity", "severe"));
        created(allergy);
        ok(patient.http().put(base + "/allergies/" + allergy.json().getString("id"), new JsonObject()
                .put("substance", text("allergy-updated")).put("reaction", text("reaction-updated")).put("severity", "moderate")));
        created(patient.http().post(base + "/conditions", new JsonObject().put("name", text("condition")).put("notes", text("notes"))));
        created(patient.http().post(base + "/treatments", new JsonObject().put("medicine", text("medicine")).put("dose", text("dose"))
                .put("times", new JsonArray().add("08:00"))));
    }

    private void agenda() {
        Instant start = hub.clock().instant().plus(Duration.ofDays(20));
        created(doctor.http().post("/api/v1/appointments", new JsonObject().put("patientId", patient.id().toString())
                .put("startsAt", paris(start)).put("endsAt", paris(start.plus(Duration.ofMinutes(30))))
                .put("title", text("appointment-title")).put("place", text("appointment-place"))));
        Instant own = start.plus(Duration.ofDays(2));
        created(patient.http().post("/api/v1/appointments", new JsonObject()
                .put("startsAt", paris(own)).put("endsAt", paris(own.plus(Duration.ofMinutes(30))))
                .put("title", text("own-appointment-title")).put("place", text("own-appointment-place"))));
    }

    private void emergency() {
        created(urgentist.http().post("/api/v1/emergency-access", new JsonObject().put("ins", ins())
                .put("reason", text("emergency-reason"))));
        ok(urgentist.http().get("/api/v1/patients/" + patient.id() + "/documents"));
    }

    /** Lets the delay pass so that what the patient left unread becomes a digest email, sent to GreenMail. */
    private void digest() {
        int before = hub.mail().getReceivedMessagesForDomain(patient.email()).length;
        hub.emailWhatWasMissed();
        Eventually.await("the digest email", Duration.ofSeconds(15),
                () -> hub.mail().getReceivedMessagesForDomain(patient.email()).length, n -> n > before);
    }

    private static String paris(Instant instant) {
        return instant.atZone(ZoneId.of("Europe/Paris")).toLocalDateTime().withNano(0).withSecond(0).toString();
    }

    private static void ok(Response response) {
        assertEquals(200, response.status(), response.body());
    }

    private static void created(Response response) {
        assertEquals(201, response.status(), response.body());
    }
}

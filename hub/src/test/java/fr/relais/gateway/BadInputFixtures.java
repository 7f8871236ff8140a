package fr.relais.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.HttpTestClient;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Map;

/**
 * The people and things the bad-input sweep aims at, made through the API: each endpoint gets a request that would
 * pass (or nearly) before one of its parts is made hostile. Things that a request may destroy (a conversation
 * closed, a document deleted, an appointment cancelled, calendar links revoked) have their own copy here.
 */
final class BadInputFixtures {
    static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.4\n%%EOF\n".getBytes());

    final TestHub hub;
    final Person patient;
    final String ins;
    final Person calendarOwner;
    final Person pro;
    final Person pro2;
    final Person pro3;
    final String rpps2;
    final String rpps3;
    final Person admin;
    final String organisation;
    final String blockableOrganisation;
    final String systemBlock;
    final JsonObject integrator;
    final JsonObject limitedIntegrator;
    /** A catalogue app's client id, whose patients are sent back to {@link #APP_CALLBACK}. */
    final String app;
    static final String APP_CALLBACK = "https://app.example/callback";
    /** A browser's push keys (those of RFC 8291's example): a P-256 point and a 16-byte secret, base64url. */
    static final String PUSH_P256DH = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    static final String PUSH_AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    final String conversation;
    final String attachment;
    final String conversationToClose;
    final String document;
    final String documentToReplace;
    final String patientsDocument;
    final String entry;
    final String entryToDelete;
    final String appointment;
    final String appointmentToCancel;
    final String calendarToken;
    final String careRequest;
    final LocalDate today;

    BadInputFixtures(TestHub hub) {
        this.hub = hub;
        People people = hub.people();
        today = LocalDate.ofInstant(hub.clock().instant(), ZoneId.of("Europe/Paris"));
        patient = people.patient("Hostile Patient");
        ins = patient.http().get("/api/v1/me").json().getString("ins");
        calendarOwner = people.patient("Calendar Owner");
        pro = people.professional("Dr Hostile", "physician");
        pro2 = people.professional("Dr Second", "nurse");
        pro3 = people.professional("Dr Third", "dentist");
        rpps2 = pro2.http().get("/api/v1/me").json().getString("rpps");
        rpps3 = pro3.http().get("/api/v1/me").json().getString("rpps");
        people.treats(pro, patient);
        people.treats(pro2, patient);
        admin = people.admin("Ops");
        organisation = people.organisation("hospital", "CHU Hostile");
        blockableOrganisation = people.organisation("catalogue_app", "Appli bloquée");
        systemBlock = created(patient.http().post("/api/v1/me/blocked-systems",
                new JsonObject().put("organisationId", people.organisation("laboratory", "Labo bloqué")))).getString("id");
        integrator = integrator("Hospital system", new JsonArray().add("stream:read").add("messages:write")
                .add("documents:write").add("agenda:write"));
        limitedIntegrator = integrator("Lab system", new JsonArray().add("documents:write"));
        app = hub.people().catalogueApp("Catalogue app", APP_CALLBACK, "launch/patient", "patient/DocumentReference.read");

        JsonObject started = created(pro.http().post("/api/v1/conversations", conversationBody()));
        conversation = started.getString("conversationId");
        attachment = started.getJsonArray("attachments").getJsonObject(0).getString("id");
        conversationToClose = created(pro.http().post("/api/v1/conversations", conversationBody())).getString("conversationId");
        document = created(pro.http().post("/api/v1/documents", deposit().put("patientId", patient.id().toString()))).getString("id");
        documentToReplace = created(pro.http().post("/api/v1/documents", deposit().put("patientId", patient.id().toString())))
                .getString("id");
        patientsDocument = created(patient.http().post("/api/v1/documents", deposit())).getString("id");
        String profile = "/api/v1/patients/" + patient.id() + "/profile/allergies";
        entry = created(patient.http().post(profile, allergy())).getString("id");
        entryToDelete = created(patient.http().post(profile, allergy())).getString("id");
        appointment = created(pro.http().post("/api/v1/appointments", appointmentBody())).getString("id");
        appointmentToCancel = created(pro.http().post("/api/v1/appointments", appointmentBody())).getString("id");
        careRequest = created(people.professional("Dr Fourth", "midwife").http().post("/api/v1/care-requests",
                new JsonObject().put("ins", ins))).getString("id");
        String url = created(calendarOwner.http().post("/api/v1/agenda/calendar-link", new JsonObject())).getString("url");
        calendarToken = url.substring(url.indexOf("token=") + 6);
    }

    JsonObject conversationBody() {
        return new JsonObject().put("subject", "Results").put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", message());
    }

    JsonObject message() {
        return new JsonObject().put("body", "Here they are.").put("attachments", new JsonArray().add(new JsonObject()
                .put("filename", "results.pdf").put("contentType", "application/pdf").put("data", PDF)));
    }

    JsonObject deposit() {
        return new JsonObject().put("kind", "prescription").put("title", "Prescription").put("careDate", today.toString())
                .put("contentType", "application/pdf").put("data", PDF);
    }

    JsonObject allergy() {
        return new JsonObject().put("substance", "Pollen").put("reaction", "Sneezing").put("severity", "mild");
    }

    JsonObject appointmentBody() {
        String day = today.plusDays(10).toString();
        return new JsonObject().put("patientId", patient.id().toString()).put("startsAt", day + "T10:00")
                .put("endsAt", day + "T10:30").put("place", "Cabinet, 3 rue de la Paix").put("title", "Check-up");
    }

    /** A well-formed authorization request of {@link #app} (PKCE's example challenge, RFC 7636 appendix B). */
    java.util.Map<String, String> authorizeRequest() {
        return new java.util.LinkedHashMap<>(java.util.Map.of("response_type", "code", "client_id", app, "redirect_uri", APP_CALLBACK,
                "scope", "launch/patient patient/DocumentReference.read", "state", "s1",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256"));
    }

    /** A new access token for {@code integrator} (client credentials). */
    String integratorToken(JsonObject integrator) {
        HttpTestClient.Response granted = hub.http().send("POST", "/api/v1/oauth/token", Map.of(),
                "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=" + integrator.getString("clientId")
                        + "&client_secret=" + integrator.getString("clientSecret"));
        assertEquals(200, granted.status(), granted.body());
        return granted.json().getString("access_token");
    }

    String organisationId() {
        return organisation;
    }

    private JsonObject integrator(String name, JsonArray scopes) {
        return created(admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", name)
                .put("organisationId", organisationId()).put("scopes", scopes)));
    }

    private static JsonObject created(HttpTestClient.Response response) {
        assertEquals(201, response.status(), response.body());
        return response.json();
    }
}

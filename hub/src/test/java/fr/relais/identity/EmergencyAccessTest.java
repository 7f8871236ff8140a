package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.DecodedMail;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Break-glass: the patient is told live and by email, the reason stays between the professional and the patient,
 * and the access ends at its expiry or with an objection.
 */
class EmergencyAccessTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void objectingEndsAnEmergencyAccessAlreadyGranted() {
        Person patient = hub.people().patient("Objectrice");
        Person urgentist = hub.people().professional("Dr SAMU", "physician");
        String documents = "/api/v1/patients/" + patient.id() + "/documents";
        assertEquals(201, open(urgentist, patient, "Arrêt cardiaque sur la voie publique").status());
        assertEquals(200, urgentist.http().get(documents).status());

        assertEquals(200, patient.http().put("/api/v1/me/emergency-access-objection", new JsonObject().put("objected", true)).status());

        assertEquals(404, urgentist.http().get(documents).status(), "the access already granted ended with the objection");
        assertEquals("emergency_access_refused", open(urgentist, patient, "Nouvelle tentative").json().getString("code"));
    }

    @Test
    void theReasonReachesThePatientThroughTheirHistoryNotThroughTheEvent() {
        Person patient = hub.people().patient("Inconsciente");
        Person urgentist = hub.people().professional("Dr Réa", "physician");
        String reason = "Coma éthylique, famille injoignable";
        try (WsTestClient socket = hub.people().live(patient)) {
            assertEquals(201, open(urgentist, patient, reason).status());
            JsonObject event = socket.awaitType("record.emergency_access");
            assertFalse(event.encode().contains("thylique"), event.encode());
            assertEquals(urgentist.id().toString(), event.getJsonObject("data").getString("actorId"));
        }
        assertEquals(200, urgentist.http().get("/api/v1/patients/" + patient.id() + "/documents").status());
        assertEquals(200, urgentist.http().get("/api/v1/patients/" + patient.id() + "/profile").status());
        assertEquals(200, urgentist.http().get("/api/v1/patients/" + patient.id() + "/documents").status());
        hub.awaitEventsNumbered();
        assertEquals(1, hub.sql().count("SELECT count(*) FROM stream_event WHERE recipient_id = ? AND type = 'record.accessed'",
                patient.id()), "told of the first read under the emergency access, not of each one");
        assertEquals(List.of("documents", "profile", "documents"), patient.http().get("/api/v1/me/access-history").json()
                .getJsonArray("items").stream().map(JsonObject.class::cast).filter(e -> e.getBoolean("emergency"))
                .map(e -> e.getString("what")).toList(), "each read is in the history, newest first");

        JsonObject entry = patient.http().get("/api/v1/me/access-history").json().getJsonArray("items").getJsonObject(0);
        assertEquals(true, entry.getBoolean("emergency"));
        assertEquals(reason, entry.getString("reason"), "the patient reads the reason, opened for them");
    }

    @Test
    void aReasonThatAnOlderVersionLeftInClearIsSealedAtTheNextStartAndStillShownToThePatient() throws Exception {
        Person patient = hub.people().patient("Ancienne");
        Person urgentist = hub.people().professional("Dr Avant", "physician");
        assertEquals(201, open(urgentist, patient, "Raison scellée d'emblée").status());
        assertEquals(200, urgentist.http().get("/api/v1/patients/" + patient.id() + "/documents").status());
        hub.sql().execute("UPDATE emergency_access SET reason = 'Hémorragie, écrite en clair', reason_sealed = NULL, key_id = NULL"
                + " WHERE patient_id = '" + patient.id() + "'");

        hub.restart(() -> { });

        assertEquals(0, hub.sql().count("SELECT count(*) FROM emergency_access WHERE reason IS NOT NULL"));
        JsonObject entry = patient.http().get("/api/v1/me/access-history").json().getJsonArray("items").getJsonObject(0);
        assertEquals("Hémorragie, écrite en clair", entry.getString("reason"));
    }

    @Test
    void thePatientIsToldLiveAndByAnEmailThatSaysNeitherWhoNorWhy() {
        Person patient = hub.people().patient("Prévenue");
        Person urgentist = hub.people().professional("Dr Veilleur", "physician");
        String reason = "Détresse respiratoire, asthme sévère connu";
        try (WsTestClient socket = hub.people().live(patient)) {
            assertEquals(201, open(urgentist, patient, reason).status());
            JsonObject event = socket.awaitType("record.emergency_access");
            assertEquals(urgentist.id().toString(), event.getJsonObject("data").getString("actorId"));
            assertEquals(1, socket.events().stream().filter(e -> "record.emergency_access".equals(e.getString("type"))).count());
        }

        List<MimeMessage> notices = Eventually.await("the emergency access email to the patient", Duration.ofSeconds(20),
                () -> emergencyEmailsTo(patient), emails -> !emails.isEmpty());
        assertEquals(1, notices.size(), "one email per access");
        String email = DecodedMail.text(notices.get(0));
        assertTrue(email.contains("en urgence"), email);
        for (String secret : List.of("respiratoire", "asthme", "Veilleur", urgentist.id().toString(), urgentist.email())) {
            assertFalse(email.contains(secret), "the email names neither the professional nor the reason: " + secret);
        }
    }

    @Test
    void anEmergencyAccessEndsAtItsExpiry() {
        Person patient = hub.people().patient("Expirée");
        Person urgentist = hub.people().professional("Dr Nuit", "physician");
        String documents = "/api/v1/patients/" + patient.id() + "/documents";
        Instant openedAt = hub.clock().instant();
        Response granted = open(urgentist, patient, "Polytraumatisme, patiente inconsciente");
        assertEquals(201, granted.status(), granted.body());
        Instant expiresAt = Instant.parse(granted.json().getString("expiresAt"));
        assertEquals(openedAt.plus(hub.config().policy().emergencyAccessDuration()), expiresAt);

        hub.clock().advance(Duration.between(openedAt, expiresAt).minusSeconds(1));
        String token = refreshed(urgentist); // the access token of the opening has long expired; the session goes on
        assertEquals(200, read(documents, token).status(), "one second before the expiry, the access still runs");

        hub.clock().advance(Duration.ofSeconds(1));
        Response after = read(documents, token);
        assertEquals(404, after.status(), "at its expiry the access has ended: " + after.body());
        assertEquals("not_found", after.json().getString("code"));
    }

    private static List<MimeMessage> emergencyEmailsTo(Person patient) {
        return Arrays.stream(hub.mail().getReceivedMessagesForDomain(patient.email()))
                .filter(m -> DecodedMail.text(m).contains("Subject: Accès en urgence")).toList();
    }

    private static String refreshed(Person person) {
        Response pair = hub.http().postJson("/api/v1/auth/refresh", new JsonObject().put("refreshToken", person.refreshToken()));
        assertEquals(200, pair.status(), pair.body());
        return pair.json().getString("accessToken");
    }

    private static Response read(String path, String accessToken) {
        return hub.http().send("GET", path, Map.of("Authorization", "Bearer " + accessToken), null, null);
    }

    private static fr.relais.testing.HttpTestClient.Response open(Person professional, Person patient, String reason) {
        String ins = patient.http().get("/api/v1/me").json().getString("ins");
        return professional.http().post("/api/v1/emergency-access", new JsonObject().put("ins", ins).put("reason", reason));
    }
}

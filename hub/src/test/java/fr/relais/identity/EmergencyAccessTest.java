package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Break-glass: the reason stays between the professional and the patient, and an objection ends it. */
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

    private static fr.relais.testing.HttpTestClient.Response open(Person professional, Person patient, String reason) {
        String ins = patient.http().get("/api/v1/me").json().getString("ins");
        return professional.http().post("/api/v1/emergency-access", new JsonObject().put("ins", ins).put("reason", reason));
    }
}

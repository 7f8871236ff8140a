package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CloseSpaceTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void closingDeletesEverythingOfThePatientAndEndsTheirSessions() {
        Person patient = hub.people().patient("Léa");
        Person otherDevice = hub.people().logIn(patient.email(), fr.relais.testing.People.PASSWORD);
        Person doctor = hub.people().professional("Dr Close", "physician");
        String rpps = doctor.http().get("/api/v1/me").json().getString("rpps");
        assertEquals(201, patient.http().post("/api/v1/me/care-relationships", new JsonObject().put("rpps", rpps)).status());
        assertEquals(200, doctor.http().get("/api/v1/patients/" + patient.id()).status());

        Response unconfirmed = patient.http().post("/api/v1/me/close", new JsonObject());
        assertEquals(400, unconfirmed.status());
        assertEquals("confirm", unconfirmed.json().getString("field"));
        assertEquals(403, doctor.http().post("/api/v1/me/close", new JsonObject().put("confirm", true)).status());

        assertEquals(204, patient.http().post("/api/v1/me/close", new JsonObject().put("confirm", true)).status());

        for (String table : new String[] {"account WHERE id", "patient WHERE account_id", "care_relationship WHERE patient_id",
                "access_history WHERE patient_id", "first_access WHERE patient_id", "session WHERE account_id"}) {
            assertEquals(0, hub.sql().count("SELECT count(*) FROM " + table + " = ?", patient.id()), table);
        }
        assertEquals(401, patient.http().get("/api/v1/me").status());
        assertEquals(401, otherDevice.http().get("/api/v1/me").status());
        assertEquals(404, doctor.http().get("/api/v1/patients/" + patient.id()).status());
        fr.relais.testing.Eventually.await("the audit keeps that it happened, under the patient's pseudonym",
                java.time.Duration.ofSeconds(10),
                () -> hub.sql().count("SELECT count(*) FROM audit_log WHERE action = 'space.close' AND patient_id = ?",
                        hub.hub().audit().log().pseudonym(patient.id())),
                count -> count == 1);
        assertEquals(200, doctor.http().get("/api/v1/me").status(), "other people are untouched");
    }
}

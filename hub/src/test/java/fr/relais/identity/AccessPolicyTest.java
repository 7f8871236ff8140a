package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.error.ApiError;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.DataCategory;
import fr.relais.principal.Principal;
import fr.relais.principal.Profession;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who may open a patient's record, tested for the right and the wrong people. */
@ClockSensitive
class AccessPolicyTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aTreatingProfessionalSeesThePatientAndTheFirstAccessIsFlaggedOnce() {
        Person patient = hub.people().patient("Camille");
        Person doctor = hub.people().professional("Dr Durand", "physician");
        declareCare(patient, doctor);

        Response first = doctor.http().get("/api/v1/patients/" + patient.id());
        assertEquals(200, first.status(), first.body());
        assertEquals("Camille", first.json().getString("displayName"));
        assertTrue(first.json().getJsonObject("access").getBoolean("firstAccess"));
        Response second = doctor.http().get("/api/v1/patients/" + patient.id());
        assertFalse(second.json().getJsonObject("access").getBoolean("firstAccess"));

        JsonArray history = patient.http().get("/api/v1/me/access-history").json().getJsonArray("items");
        assertEquals(2, history.size());
        assertEquals("Dr Durand", history.getJsonObject(0).getString("actorName"));
        assertTrue(history.getJsonObject(1).getBoolean("firstAccess"));
        fr.relais.testing.Eventually.await("both reads audited", java.time.Duration.ofSeconds(10),
                () -> hub.sql().count("SELECT count(*) FROM audit_log WHERE action = 'record.open' AND outcome = 'success' AND patient_id = ?",
                        hub.hub().audit().log().pseudonym(patient.id())),
                count -> count == 2);

        JsonArray myPatients = new JsonArray(doctor.http().get("/api/v1/patients").body());
        assertEquals(patient.id().toString(), myPatients.getJsonObject(0).getString("id"));
    }

    @Test
    void aLegalRepresentativeSeesTheChildsRecordAndTheAccessIsInTheChildsHistory() {
        Person parent = hub.people().patient("Parent");
        String childIns = fr.relais.testing.People.insNumber();
        var child = hub.hub().identity().provisioning().addPatient("test", new JsonObject().put("ins", childIns)
                .put("email", "child-" + java.util.UUID.randomUUID() + "@example.fr").put("displayName", "Enfant")
                .put("representativeId", parent.id().toString())).await();
        Response seen = parent.http().get("/api/v1/patients/" + child.account().id());
        assertEquals(200, seen.status(), seen.body());
        assertEquals("Enfant", seen.json().getString("displayName"));
        Person other = hub.people().patient("Not the parent");
        assertEquals(404, other.http().get("/api/v1/patients/" + child.account().id()).status());
        assertEquals(1, hub.sql().count("SELECT count(*) FROM access_history WHERE patient_id = ? AND actor_id = ?",
                child.account().id(), parent.id()));
    }

    @Test
    void aStrangerAnotherPatientAndAnAdminGet404() {
        Person patient = hub.people().patient("Dominique");
        Person stranger = hub.people().professional("Dr Stranger", "physician");
        Person otherPatient = hub.people().patient("Eve");
        Person admin = hub.people().admin("Admin");
        for (Person wrong : new Person[] {stranger, otherPatient, admin}) {
            Response response = wrong.http().get("/api/v1/patients/" + patient.id());
            assertEquals(404, response.status(), response.body());
            assertEquals("not_found", response.json().getString("code"));
        }
        Response unknown = stranger.http().get("/api/v1/patients/" + java.util.UUID.randomUUID());
        assertEquals(404, unknown.status(), "an unknown patient looks exactly like a forbidden one");
        assertEquals(0, patient.http().get("/api/v1/me/access-history").json().getJsonArray("items").size());
        fr.relais.testing.Eventually.await("the three refusals audited", java.time.Duration.ofSeconds(10),
                () -> hub.sql().count("SELECT count(*) FROM audit_log WHERE outcome = 'denied' AND patient_id = ?",
                        hub.hub().audit().log().pseudonym(patient.id())),
                count -> count == 3);
    }

    @Test
    void aBlockedProfessionalSeesNothingEvenAfterCare() {
        Person patient = hub.people().patient("Fanny");
        Person doctor = hub.people().professional("Dr Blocked", "physician");
        declareCare(patient, doctor);
        assertEquals(200, doctor.http().get("/api/v1/patients/" + patient.id()).status());
        Response blocked = patient.http().post("/api/v1/me/blocked-professionals", new JsonObject().put("rpps", rpps(doctor)));
        assertEquals(201, blocked.status(), blocked.body());
        assertEquals(404, doctor.http().get("/api/v1/patients/" + patient.id()).status());
        JsonObject emergency = new JsonObject().put("ins", ins(patient)).put("reason", "Unconscious patient in the ER");
        assertEquals(403, doctor.http().post("/api/v1/emergency-access", emergency).status(), "blocked means no break-glass either");
    }

    @Test
    void emergencyAccessIsGrantedLoggedWithItsReasonAndRefusedIfThePatientObjected() {
        Person patient = hub.people().patient("Gabriel");
        Person urgentist = hub.people().professional("Dr Urgence", "physician");
        assertEquals(404, urgentist.http().get("/api/v1/patients/" + patient.id()).status());

        Response opened = urgentist.http().post("/api/v1/emergency-access",
                new JsonObject().put("ins", ins(patient)).put("reason", "Patient inconscient aux urgences"));
        assertEquals(201, opened.status(), opened.body());
        Response read = urgentist.http().get("/api/v1/patients/" + patient.id());
        assertEquals(200, read.status());
        assertTrue(read.json().getJsonObject("access").getBoolean("emergency"));
        JsonObject entry = patient.http().get("/api/v1/me/access-history").json().getJsonArray("items").getJsonObject(0);
        assertTrue(entry.getBoolean("emergency"));
        assertEquals("Patient inconscient aux urgences", entry.getString("reason"));
        fr.relais.testing.Eventually.await("the emergency access audited", java.time.Duration.ofSeconds(10),
                () -> hub.sql().count("SELECT count(*) FROM audit_log WHERE action = 'emergency_access.open' AND patient_id = ?",
                        hub.hub().audit().log().pseudonym(patient.id())),
                count -> count == 1);

        Person objector = hub.people().patient("Hélène");
        assertEquals(200, objector.http().put("/api/v1/me/emergency-access-objection", new JsonObject().put("objected", true)).status());
        Response refused = urgentist.http().post("/api/v1/emergency-access",
                new JsonObject().put("ins", ins(objector)).put("reason", "Patient inconscient aux urgences"));
        assertEquals(403, refused.status());
        assertEquals("emergency_access_refused", refused.json().getString("code"));
        Response shortReason = urgentist.http().post("/api/v1/emergency-access",
                new JsonObject().put("ins", ins(patient)).put("reason", "urgent"));
        assertEquals("reason", shortReason.json().getString("field"));
        Person nurseAsPatient = hub.people().patient("Not a pro");
        assertEquals(403, nurseAsPatient.http().post("/api/v1/emergency-access",
                new JsonObject().put("ins", ins(patient)).put("reason", "Patient inconscient aux urgences")).status());
    }

    @Test
    void theProfessionMatrixFiltersCategories() {
        Person patient = hub.people().patient("Inès");
        Person physio = hub.people().professional("M. Kiné", "physiotherapist");
        Person physician = hub.people().professional("Dr Labo", "physician");
        declareCare(patient, physio);
        declareCare(patient, physician);
        var policy = hub.hub().identity().policy();
        var streams = hub.hub().streams();
        {
            Principal physioPrincipal = new Principal(physio.id(), Principal.Kind.PROFESSIONAL, java.util.UUID.randomUUID(),
                    Set.of(), Profession.PHYSIOTHERAPIST);
            Principal physicianPrincipal = new Principal(physician.id(), Principal.Kind.PROFESSIONAL, java.util.UUID.randomUUID(),
                    Set.of(), Profession.PHYSICIAN);
            AccessPolicy.Seen seen = AccessPolicy.Seen.document(java.util.UUID.randomUUID());
            ApiError refused = assertThrows(ApiError.class, () -> streams.withTransaction(tx ->
                    policy.read(tx, physioPrincipal, patient.id(), DataCategory.LAB_RESULT, "document.read", seen)).await());
            assertEquals(404, refused.status());
            streams.withTransaction(tx -> policy.read(tx, physioPrincipal, patient.id(), DataCategory.IMAGING_REPORT, "document.read",
                    seen)).await();
            streams.withTransaction(tx -> policy.read(tx, physicianPrincipal, patient.id(), DataCategory.LAB_RESULT, "document.read",
                    seen)).await();
        }
    }

    @Test
    void hiddenDocumentsAreVisibleOnlyToThePatientAndTheirAuthor() {
        var patient = java.util.UUID.randomUUID();
        var author = java.util.UUID.randomUUID();
        Principal other = new Principal(java.util.UUID.randomUUID(), Principal.Kind.PROFESSIONAL, java.util.UUID.randomUUID(),
                Set.of(), Profession.PHYSICIAN);
        Principal authorPrincipal = new Principal(author, Principal.Kind.PROFESSIONAL, java.util.UUID.randomUUID(),
                Set.of(), Profession.PHYSICIAN);
        Principal owner = new Principal(patient, Principal.Kind.PATIENT, java.util.UUID.randomUUID(), Set.of(), null);
        assertFalse(fr.relais.identity.policy.AccessPolicy.documentVisible(other, patient, author, true));
        assertTrue(fr.relais.identity.policy.AccessPolicy.documentVisible(authorPrincipal, patient, author, true));
        assertTrue(fr.relais.identity.policy.AccessPolicy.documentVisible(owner, patient, author, true));
        assertTrue(fr.relais.identity.policy.AccessPolicy.documentVisible(other, patient, author, false));
    }

    @Test
    void onlyPatientsManageTheirCareTeam() {
        Person doctor = hub.people().professional("Dr Self", "physician");
        assertEquals(403, doctor.http().post("/api/v1/me/care-relationships", new JsonObject().put("rpps", rpps(doctor))).status());
        assertEquals(403, doctor.http().get("/api/v1/me/access-history").status());
        Person patient = hub.people().patient("Jules");
        Response unknownPro = patient.http().post("/api/v1/me/care-relationships", new JsonObject().put("rpps", "99999999999"));
        assertEquals(404, unknownPro.status());
        assertEquals("professional_not_found", unknownPro.json().getString("code"));
    }

    private static void declareCare(Person patient, Person professional) {
        hub.people().treats(professional, patient);
    }

    private static String rpps(Person professional) {
        return professional.http().get("/api/v1/me").json().getString("rpps");
    }

    private static String ins(Person patient) {
        return patient.http().get("/api/v1/me").json().getString("ins");
    }
}

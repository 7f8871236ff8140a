package fr.relais.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.TestClock;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A system (a lab's, a hospital's) deposits for its organisation, hears on its own stream that each deposit was
 * accepted and what the patient did with the document, and is refused once the patient blocks it or its
 * organisation.
 */
class SystemDepositsTest {
    private static final String TITLE = "Numération formule sanguine de contrôle";
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aSystemIsToldOfItsDepositOnceAcceptedAndOfWhatThePatientDoesWithTheDocument() {
        String lab = hub.people().organisation("laboratory", "Laboratoire Bio Plus");
        Person system = hub.people().systemOf(lab, "LabConnect", "documents:write", "stream:read");
        Person patient = hub.people().patient("Patiente du labo");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), system.accessToken(), null)) {
            socket.awaitType("subscribed");
            Response deposited = system.http().post("/api/v1/documents", deposit(patient).put("idempotencyKey", "nfs-1"));
            assertEquals(201, deposited.status(), deposited.body());
            String id = deposited.json().getString("id");
            assertEquals("Laboratoire Bio Plus", deposited.json().getString("authorName"), "the organisation is the author");
            assertEquals("LabConnect", deposited.json().getString("via"));
            assertEquals(lab, deposited.json().getString("organisationId"));
            assertEquals("LabConnect", patient.http().get("/api/v1/documents/" + id).json().getString("via"),
                    "the patient sees which system sent it");

            JsonObject accepted = socket.awaitType("document.accepted");
            assertEquals(id, accepted.getJsonObject("data").getString("documentId"));
            assertEquals(patient.id().toString(), accepted.getJsonObject("data").getString("patientId"));
            assertEquals("nfs-1", accepted.getJsonObject("data").getString("idempotencyKey"));
            socket.send(new JsonObject().put("type", "ack").put("offset", accepted.getLong("offset")));
            Eventually.await("the system's acknowledgement kept", Duration.ofSeconds(10),
                    () -> hub.sql().count("SELECT acked FROM stream WHERE recipient_id = ?", system.id()), acked -> acked == 1);

            assertEquals(200, patient.http().get("/api/v1/documents/" + id).status());
            assertEquals(200, patient.http().get("/api/v1/documents/" + id + "/content").status());
            assertEquals(200, patient.http().put("/api/v1/documents/" + id + "/hidden", new JsonObject().put("hidden", true)).status());
            assertEquals(200, patient.http().put("/api/v1/documents/" + id + "/hidden", new JsonObject().put("hidden", true)).status());
            assertEquals(204, patient.http().delete("/api/v1/documents/" + id).status(), "the patient deletes what a system deposited");

            assertEquals(id, socket.awaitType("document.deleted").getJsonObject("data").getString("documentId"));
            List<String> told = socket.events().stream().map(event -> event.getString("type")).toList();
            assertEquals(List.of("document.accepted", "document.opened", "document.hidden", "document.deleted"), told,
                    "opened once however often it is read, hidden once however often it is asked");
            socket.frames().forEach(frame -> assertFalse(frame.encode().contains(TITLE), "never the title: " + frame));
        }
        assertEquals(404, system.http().get("/api/v1/documents/" + "00000000-0000-0000-0000-000000000000").status());
    }

    @Test
    void aPatientBlocksOneSystemOrItsWholeOrganisationAndLiftsEitherBlock() {
        String hospital = hub.people().organisation("hospital", "CHU de Relais");
        Person records = hub.people().systemOf(hospital, "DPI du CHU", "documents:write");
        Person imaging = hub.people().systemOf(hospital, "PACS du CHU", "documents:write");
        Person patient = hub.people().patient("Patiente qui bloque");
        String earlier = created(records.http().post("/api/v1/documents", deposit(patient))).getString("id");
        assertEquals(200, records.http().get("/api/v1/documents/" + earlier).status(), "a system reads what it deposited");

        JsonObject systemBlock = created(patient.http().post("/api/v1/me/blocked-systems",
                new JsonObject().put("integratorId", records.id().toString())));
        assertEquals("DPI du CHU", systemBlock.getJsonObject("system").getString("name"));
        assertRefused(records.http().post("/api/v1/documents", deposit(patient)));
        assertEquals(404, records.http().get("/api/v1/documents/" + earlier).status(), "nor its own earlier documents");
        assertEquals(404, records.http().post("/api/v1/documents/" + earlier + "/versions", deposit(patient)).status());
        created(imaging.http().post("/api/v1/documents", deposit(patient)));

        JsonObject organisationBlock = created(patient.http().post("/api/v1/me/blocked-systems",
                new JsonObject().put("organisationId", hospital)));
        assertEquals("CHU de Relais", organisationBlock.getJsonObject("organisation").getString("name"));
        assertEquals(null, organisationBlock.getValue("system"));
        assertRefused(imaging.http().post("/api/v1/documents", deposit(patient)));
        assertEquals(201, patient.http().post("/api/v1/me/blocked-systems", new JsonObject().put("organisationId", hospital)).status(),
                "blocking again answers the block");
        JsonArray blocks = new JsonArray(patient.http().get("/api/v1/me/blocked-systems").body());
        assertEquals(2, blocks.size());
        assertEquals(404, hub.people().patient("Autre patiente").http()
                .delete("/api/v1/me/blocked-systems/" + organisationBlock.getString("id")).status(), "only the patient lifts it");

        assertEquals(204, patient.http().delete("/api/v1/me/blocked-systems/" + organisationBlock.getString("id")).status());
        created(imaging.http().post("/api/v1/documents", deposit(patient)));
        assertRefused(records.http().post("/api/v1/documents", deposit(patient)));
        assertEquals(204, patient.http().delete("/api/v1/me/blocked-systems/" + systemBlock.getString("id")).status());
        created(records.http().post("/api/v1/documents", deposit(patient)));
        assertEquals(200, records.http().get("/api/v1/documents/" + earlier).status());
    }

    @Test
    void organisationsAreCheckedAndEverySystemBelongsToOne() {
        Person admin = hub.people().admin("Référent intégrations");
        assertEquals("kind", invalid(admin, new JsonObject().put("kind", "pharmacy").put("name", "X")));
        assertEquals("siret", invalid(admin, new JsonObject().put("kind", "software_vendor").put("name", "X").put("siret", "73282932000075")));
        assertEquals("finess", invalid(admin, new JsonObject().put("kind", "hospital").put("name", "X").put("finess", "2C0000000")));
        JsonObject vendor = created(admin.http().post("/api/v1/admin/organisations", new JsonObject().put("kind", "software_vendor")
                .put("name", "Éditeur Santé").put("siret", "73282932000074")));
        created(admin.http().post("/api/v1/admin/organisations", new JsonObject().put("kind", "hospital")
                .put("name", "Hôpital de Bastia").put("finess", "2B0000017")));
        Response again = admin.http().post("/api/v1/admin/organisations", new JsonObject().put("kind", "software_vendor")
                .put("name", "Doublon").put("siret", "73282932000074"));
        assertEquals(409, again.status(), again.body());
        assertEquals("organisation_exists", again.json().getString("code"));

        JsonArray scopes = new JsonArray().add("documents:write");
        Response orphan = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "Orphelin").put("scopes", scopes));
        assertEquals(400, orphan.status(), orphan.body());
        assertEquals("organisationId", orphan.json().getString("field"));
        Response unknown = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "Orphelin").put("scopes", scopes)
                .put("organisationId", "00000000-0000-0000-0000-000000000000"));
        assertEquals(404, unknown.status(), unknown.body());
        JsonObject client = created(admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "Logiciel de cabinet")
                .put("scopes", scopes).put("organisationId", vendor.getString("id"))));
        assertEquals("Éditeur Santé", client.getJsonObject("organisation").getString("name"));
        assertEquals(403, hub.people().professional("Dr Curieux", "physician").http().get("/api/v1/admin/organisations").status());
    }

    private static String invalid(Person admin, JsonObject organisation) {
        Response refused = admin.http().post("/api/v1/admin/organisations", organisation);
        assertEquals(400, refused.status(), refused.body());
        return refused.json().getString("field");
    }

    private static void assertRefused(Response deposit) {
        assertEquals(404, deposit.status(), deposit.body());
        assertEquals("patient_not_found", deposit.json().getString("code"), "a block is not revealed");
    }

    private static JsonObject created(Response response) {
        assertEquals(201, response.status(), response.body());
        return response.json();
    }

    private static JsonObject deposit(Person patient) {
        return new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result").put("title", TITLE)
                .put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString())
                .put("contentType", "application/pdf").put("data", PDF);
    }
}

package fr.relais.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.ClockSensitive;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The record and the profile: deposits that arrive live, and who may see what. */
@ClockSensitive
class RecordAndProfileTest {
    private static final byte[] PDF = "%PDF-1.7\n% compte rendu\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final TestHub hub = TestHub.create().with("record.maxDocumentSize", "4KiB");

    @Test
    void aDepositReachesThePatientLiveIsListedAndReadableAndARetryCreatesOne() throws Exception {
        Person patient = hub.people().patient("Anne");
        Person biologist = hub.people().professional("Labo Durand", "biologist");
        try (WsTestClient socket = live(patient)) {
            JsonObject document = deposit("lab_result", "Bilan sanguin").put("ins", ins(patient)).put("idempotencyKey", "lab-42");
            Response first = biologist.http().post("/api/v1/documents", document);
            assertEquals(201, first.status(), first.body());
            Response retry = biologist.http().post("/api/v1/documents", document);
            assertEquals(200, retry.status(), retry.body());
            assertEquals(first.json().getString("id"), retry.json().getString("id"));

            JsonObject arrived = socket.awaitType("document.arrived");
            assertEquals(first.json().getString("id"), arrived.getJsonObject("data").getString("documentId"));
            assertFalse(arrived.encode().contains("Bilan"), "no title in events");
        }
        JsonArray listed = patient.http().get("/api/v1/patients/" + patient.id() + "/documents").json().getJsonArray("items");
        assertEquals(1, listed.size());
        assertEquals("Bilan sanguin", listed.getJsonObject(0).getString("title"));
        assertArrayEquals(PDF, download(patient, listed.getJsonObject(0).getString("id")));
        assertEquals(0, hub.sql().count("SELECT count(*) FROM document_content WHERE position(convert_to('compte rendu', 'UTF8') in content_sealed) > 0"));
        assertEquals(0, new JsonArray(biologist.http().get("/api/v1/patients").body()).size(), "a deposit makes no care relationship");
        assertEquals(404, biologist.http().get("/api/v1/patients/" + patient.id() + "/documents").status(), "writing is not reading");
    }

    @Test
    void hiddenDocumentsStayVisibleToTheirAuthorOnlyAndBlockedProfessionalsSeeNothing() {
        Person patient = hub.people().patient("Bruno");
        Person author = hub.people().professional("Dr Auteur", "physician");
        Person colleague = hub.people().professional("Dr Collègue", "physician");
        declareCare(patient, colleague);
        declareCare(patient, author);
        String id = author.http().post("/api/v1/documents", deposit("discharge_report", "Sortie d'hospitalisation")
                .put("ins", ins(patient))).json().getString("id");
        assertEquals(1, listFor(colleague, patient).size());

        assertEquals(200, patient.http().put("/api/v1/documents/" + id + "/hidden", new JsonObject().put("hidden", true)).status());
        assertEquals(0, listFor(colleague, patient).size());
        assertEquals(404, colleague.http().get("/api/v1/documents/" + id + "/content").status());
        assertEquals(1, listFor(author, patient).size(), "the author still sees it");
        assertEquals(200, author.http().get("/api/v1/documents/" + id).status());
        assertEquals(1, listFor(patient, patient).size());
        assertEquals(404, colleague.http().put("/api/v1/documents/" + id + "/hidden", new JsonObject().put("hidden", false)).status());

        block(patient, author);
        assertEquals(404, author.http().get("/api/v1/patients/" + patient.id() + "/documents").status());
        assertEquals(404, author.http().post("/api/v1/documents", deposit("other", "x").put("ins", ins(patient))).status());
    }

    @Test
    void theProfessionMatrixAndEmergencyAccessApplyToDocuments() {
        Person patient = hub.people().patient("Carla");
        Person biologist = hub.people().professional("Labo", "biologist");
        Person physio = hub.people().professional("Kiné", "physiotherapist");
        declareCare(patient, physio);
        String lab = biologist.http().post("/api/v1/documents", deposit("lab_result", "NFS").put("ins", ins(patient))).json().getString("id");
        biologist.http().post("/api/v1/documents", deposit("imaging_report", "Radio genou").put("ins", ins(patient)));
        JsonArray seen = listFor(physio, patient);
        assertEquals(1, seen.size());
        assertEquals("imaging_report", seen.getJsonObject(0).getString("kind"));
        assertEquals(404, physio.http().get("/api/v1/documents/" + lab + "/content").status());

        Person urgentist = hub.people().professional("Urgences", "physician");
        assertEquals(404, urgentist.http().get("/api/v1/documents/" + lab).status());
        assertEquals(201, urgentist.http().post("/api/v1/emergency-access",
                new JsonObject().put("ins", ins(patient)).put("reason", "Inconscient aux urgences")).status());
        assertEquals(200, urgentist.http().get("/api/v1/documents/" + lab).status());
        JsonArray history = patient.http().get("/api/v1/me/access-history").json().getJsonArray("items");
        assertTrue(history.stream().map(JsonObject.class::cast)
                .anyMatch(e -> e.getBoolean("emergency") && "document.read".equals(e.getString("action"))), history.encode());
    }

    @Test
    void badDocumentsAreRefusedWithClearErrors() {
        Person patient = hub.people().patient("Denis");
        Person doctor = hub.people().professional("Dr Strict", "physician");
        Response mistyped = doctor.http().post("/api/v1/documents", deposit("prescription", "Ordo").put("ins", ins(patient))
                .put("contentType", "image/png"));
        assertEquals(415, mistyped.status());
        assertEquals("document_type_mismatch", mistyped.json().getString("code"));
        JsonObject tooBig = deposit("prescription", "Ordo").put("ins", ins(patient))
                .put("data", Base64.getEncoder().encodeToString(("%PDF-" + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII)));
        assertEquals("document_too_large", doctor.http().post("/api/v1/documents", tooBig).json().getString("code"));
        assertEquals("kind", doctor.http().post("/api/v1/documents", deposit("poem", "x").put("ins", ins(patient))).json().getString("field"));
        assertEquals("careDate", doctor.http().post("/api/v1/documents", deposit("other", "x").put("ins", ins(patient))
                .put("careDate", "2999-01-01")).json().getString("field"));
        JsonObject cda = deposit("discharge_report", "CR").put("ins", ins(patient)).put("contentType", "application/xml")
                .put("data", Base64.getEncoder().encodeToString("<?xml version=\"1.0\"?><ClinicalDocument/>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, doctor.http().post("/api/v1/documents", cda).status(), "CDA XML is accepted");
    }

    @Test
    void patientsAddAndDeleteDocumentsAndAuthorsReplaceTheirs() {
        Person patient = hub.people().patient("Emma");
        Person doctor = hub.people().professional("Dr Version", "physician");
        String own = patient.http().post("/api/v1/documents", deposit("other", "Mon carnet")).json().getString("id");
        String pros = doctor.http().post("/api/v1/documents", deposit("prescription", "Ordonnance v1").put("ins", ins(patient)))
                .json().getString("id");
        assertEquals(204, patient.http().delete("/api/v1/documents/" + own).status());

        assertEquals(404, patient.http().post("/api/v1/documents/" + pros + "/versions", deposit("prescription", "v2")).status());
        Response v2 = doctor.http().post("/api/v1/documents/" + pros + "/versions", deposit("prescription", "Ordonnance v2"));
        assertEquals(201, v2.status(), v2.body());
        JsonArray listed = listFor(patient, patient);
        assertEquals(1, listed.size());
        assertEquals("Ordonnance v2", listed.getJsonObject(0).getString("title"));
        assertEquals(pros, listed.getJsonObject(0).getString("replaces"));
        assertEquals(404, doctor.http().delete("/api/v1/documents/" + v2.json().getString("id")).status(), "only the patient deletes");
        assertEquals(204, patient.http().delete("/api/v1/documents/" + v2.json().getString("id")).status(),
                "the patient deletes a professional's document too: the space is theirs");
        assertEquals(0, listFor(patient, patient).size());

        Person admin = hub.people().admin("Root");
        JsonObject client = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "SIH")
                .put("organisationId", hub.people().organisation("hospital", "CHU"))
                .put("scopes", new JsonArray().add("documents:write"))).json();
        String token = hub.http().send("POST", "/api/v1/oauth/token", Map.of(), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + client.getString("clientId") + "&client_secret="
                        + client.getString("clientSecret")).json().getString("access_token");
        Response byIntegrator = hub.http().send("POST", "/api/v1/documents", Map.of("Authorization", "Bearer " + token),
                "application/json", deposit("discharge_report", "Sortie").put("ins", ins(patient)).encode());
        assertEquals(201, byIntegrator.status(), byIntegrator.body());
        assertEquals("CHU", byIntegrator.json().getString("authorName"), "the organisation the system acts for");
        assertEquals("SIH", byIntegrator.json().getString("via"));
    }

    @Test
    void theProfileIsVersionedFilteredByProfessionValidatedAndNotifiedLive() {
        Person patient = hub.people().patient("Fanny");
        Person nurse = hub.people().professional("Infirmière", "nurse");
        Person physio = hub.people().professional("Kiné", "physiotherapist");
        declareCare(patient, nurse);
        declareCare(patient, physio);
        String base = "/api/v1/patients/" + patient.id() + "/profile";
        try (WsTestClient socket = live(patient)) {
            Response allergy = patient.http().post(base + "/allergies", new JsonObject().put("substance", "Pénicilline").put("severity", "severe"));
            assertEquals(201, allergy.status(), allergy.body());
            Response weight = nurse.http().post(base + "/measurements", new JsonObject().put("type", "weight").put("unit", "kg")
                    .put("value", 62.5).put("at", "2026-11-20T08:30:00+01:00"));
            assertEquals(201, weight.status(), weight.body());
            Response treatment = nurse.http().post(base + "/treatments", new JsonObject().put("medicine", "Amoxicilline")
                    .put("dose", "1 g").put("times", new JsonArray().add("08:00").add("20:00")).put("until", "2026-12-01"));
            assertEquals(201, treatment.status(), treatment.body());
            socket.awaitType("profile.updated");

            String entry = weight.json().getString("id");
            assertEquals(200, nurse.http().put(base + "/measurements/" + entry, new JsonObject().put("type", "weight").put("unit", "kg")
                    .put("value", 63.0).put("at", "2026-11-21T08:30:00+01:00")).status());
            JsonArray versions = patient.http().get(base + "/measurements/" + entry + "/history").json().getJsonArray("versions");
            assertEquals(2, versions.size());
            assertEquals(nurse.id().toString(), versions.getJsonObject(1).getString("changedBy"));
            assertEquals(62.5, versions.getJsonObject(0).getJsonObject("data").getDouble("value"));
        }
        JsonObject physioView = physio.http().get(base).json();
        assertTrue(physioView.containsKey("allergies") && physioView.containsKey("measurements"));
        assertFalse(physioView.containsKey("treatments"), "a physiotherapist does not see treatments");
        assertEquals(404, physio.http().post(base + "/treatments", new JsonObject().put("medicine", "x").put("dose", "x")
                .put("times", new JsonArray().add("08:00"))).status());
        Person stranger = hub.people().professional("Dr Nobody", "physician");
        assertEquals(404, stranger.http().get(base).status());

        Response implausible = patient.http().post(base + "/measurements", new JsonObject().put("type", "temperature").put("unit", "°C")
                .put("value", 55).put("at", "2026-11-20T08:30:00+01:00"));
        assertEquals(400, implausible.status());
        assertEquals("data.value", implausible.json().getString("field"));
        Response wrongUnit = patient.http().post(base + "/measurements", new JsonObject().put("type", "weight").put("unit", "lb")
                .put("value", 120).put("at", "2026-11-20T08:30:00+01:00"));
        assertEquals("data.unit", wrongUnit.json().getString("field"));
        Response pressure = patient.http().post(base + "/measurements", new JsonObject().put("type", "blood_pressure").put("unit", "mmHg")
                .put("systolic", 80).put("diastolic", 120).put("at", "2026-11-20T08:30:00+01:00"));
        assertEquals("data.diastolic", pressure.json().getString("field"));
        assertEquals(0, hub.sql().count("SELECT count(*) FROM profile_entry WHERE position(convert_to('Pénicilline', 'UTF8') in data_sealed) > 0"));
    }

    private static JsonObject deposit(String kind, String title) {
        return new JsonObject().put("kind", kind).put("title", title).put("careDate", "2026-11-20")
                .put("contentType", "application/pdf").put("data", Base64.getEncoder().encodeToString(PDF));
    }

    private static JsonArray listFor(Person who, Person patient) {
        Response response = who.http().get("/api/v1/patients/" + patient.id() + "/documents");
        assertEquals(200, response.status(), response.body());
        return response.json().getJsonArray("items");
    }

    private static byte[] download(Person who, String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port()
                + "/api/v1/documents/" + id + "/content")).header("Authorization", "Bearer " + who.accessToken()).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private static String ins(Person patient) {
        return patient.http().get("/api/v1/me").json().getString("ins");
    }

    private static void declareCare(Person patient, Person pro) {
        hub.people().treats(pro, patient);
    }

    private static void block(Person patient, Person pro) {
        hub.people().blocks(patient, pro);
    }

    private static WsTestClient live(Person person) {
        return hub.people().live(person);
    }
}

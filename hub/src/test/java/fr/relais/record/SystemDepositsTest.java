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
import java.util.Set;
import java.util.UUID;
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
        String ins = patient.http().get("/api/v1/me").json().getString("ins");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), system.accessToken(), null)) {
            socket.awaitType("subscribed");
            Response deposited = system.http().post("/api/v1/documents", byIns(ins).put("idempotencyKey", "nfs-1"));
            assertEquals(201, deposited.status(), deposited.body());
            String id = deposited.json().getString("id");
            assertEquals("Laboratoire Bio Plus", deposited.json().getString("authorName"), "the organisation is the author");
            assertEquals("LabConnect", deposited.json().getString("via"));
            assertEquals(lab, deposited.json().getString("organisationId"));
            assertEquals("accepted", deposits(system).getJsonObject(0).getString("status"));

            JsonObject accepted = socket.awaitType("document.accepted");
            assertEquals(id, accepted.getJsonObject("data").getString("documentId"));
            assertEquals("nfs-1", accepted.getJsonObject("data").getString("idempotencyKey"));
            socket.send(new JsonObject().put("type", "ack").put("offset", accepted.getLong("offset")));
            Eventually.await("the system's acknowledgement kept", Duration.ofSeconds(10),
                    () -> hub.sql().count("SELECT acked FROM stream WHERE recipient_id = ?", system.id()), acked -> acked == 1);

            assertEquals("LabConnect", patient.http().get("/api/v1/documents/" + id).json().getString("via"),
                    "the patient sees which system sent it");
            assertEquals(200, patient.http().get("/api/v1/documents/" + id + "/content").status());
            JsonObject opened = deposits(system).getJsonObject(0);
            assertEquals("opened", opened.getString("status"));
            assertEquals("nfs-1", opened.getString("idempotencyKey"));
            assertEquals(200, patient.http().put("/api/v1/documents/" + id + "/hidden", new JsonObject().put("hidden", true)).status());
            assertEquals(200, patient.http().put("/api/v1/documents/" + id + "/hidden", new JsonObject().put("hidden", true)).status());
            String second = created(system.http().post("/api/v1/documents/" + id + "/versions", byIns(ins))).getString("id");
            assertEquals(204, patient.http().delete("/api/v1/documents/" + second).status(), "the patient deletes what a system deposited");
            assertEquals(404, patient.http().get("/api/v1/documents/" + id).status(), "every version of it");
            assertEquals(404, system.http().get("/api/v1/documents/" + id).status());
            assertEquals(404, patient.http().delete("/api/v1/documents/" + second).status(), "deleted once");

            // a system the patient blocked hears nothing more of what the patient does
            String third = created(system.http().post("/api/v1/documents", byIns(ins))).getString("id");
            String block = created(patient.http().post("/api/v1/me/blocked-systems", new JsonObject().put("organisationId", lab)))
                    .getString("id");
            assertEquals(200, patient.http().get("/api/v1/documents/" + third).status());
            assertEquals(204, patient.http().delete("/api/v1/documents/" + third).status());
            assertEquals(204, patient.http().delete("/api/v1/me/blocked-systems/" + block).status());
            String last = created(system.http().post("/api/v1/documents", byIns(ins))).getString("id");
            socket.awaitFrame("the last deposit's acknowledgement", frame -> "document.accepted".equals(frame.getString("type"))
                    && last.equals(frame.getJsonObject("data").getString("documentId")));

            List<String> told = socket.events().stream()
                    .map(event -> event.getString("type") + " " + event.getJsonObject("data").getString("documentId")).toList();
            assertEquals(8, told.size(), told.toString());
            assertEquals(List.of("document.accepted " + id, "document.opened " + id, "document.hidden " + id,
                    "document.accepted " + second), told.subList(0, 4), "opened once however often read, hidden once however often asked");
            assertEquals(Set.of("document.deleted " + second, "document.deleted " + id), Set.copyOf(told.subList(4, 6)),
                    "each version deleted with the one the patient deleted");
            assertEquals(List.of("document.accepted " + third, "document.accepted " + last), told.subList(6, 8),
                    "nothing of what the patient did while the system was blocked");
            assertEquals(List.of(last), deposits(system).stream().map(d -> ((JsonObject) d).getString("documentId")).toList(),
                    "only what the patient kept is listed");
            socket.frames().forEach(frame -> assertFalse(frame.encode().contains(TITLE), "never the title: " + frame));
            socket.frames().forEach(frame -> assertFalse(frame.encode().contains(patient.id().toString()),
                    "never the patient's account id, which the system was not given: " + frame));
        }
    }

    @Test
    void aLabDepositsOverItsSocketIsAcknowledgedThenToldThatThePatientOpenedTheDocument() {
        String lab = hub.people().organisation("laboratory", "Laboratoire du Port");
        Person system = hub.people().systemOf(lab, "PortLab", "documents:write", "stream:read");
        Person patient = hub.people().patient("Patient du port");
        String ins = patient.http().get("/api/v1/me").json().getString("ins");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), system.accessToken(), null)) {
            socket.awaitType("subscribed");
            socket.send(command("d1", byIns(ins)).put("idempotencyKey", "port-1"));
            JsonObject result = socket.awaitFrame("the deposit's result", frame -> "d1".equals(frame.getString("id")));
            assertEquals("result", result.getString("type"), result.encode());
            String id = result.getJsonObject("result").getString("id");
            assertEquals("PortLab", result.getJsonObject("result").getString("via"));
            JsonObject accepted = socket.awaitEvents(1).get(0); // it may come before the command's answer
            assertEquals("document.accepted", accepted.getString("type"));
            assertEquals(id, accepted.getJsonObject("data").getString("documentId"));
            assertEquals("port-1", accepted.getJsonObject("data").getString("idempotencyKey"));

            socket.send(command("d2", byIns(ins)).put("idempotencyKey", "port-1"));
            JsonObject again = socket.awaitFrame("the retry's result", frame -> "d2".equals(frame.getString("id")));
            assertEquals(id, again.getJsonObject("result").getString("id"), "a retry over the socket answers the first deposit");
            assertEquals(true, again.getJsonObject("result").getBoolean("replayed"));
            Response overRest = system.http().post("/api/v1/documents", byIns(ins).put("idempotencyKey", "port-1"));
            assertEquals(200, overRest.status(), "the key means the same over REST: " + overRest.body());
            assertEquals(id, overRest.json().getString("id"));
            socket.send(command("d3", byIns(ins).put("title", "Autre résultat")).put("idempotencyKey", "port-1"));
            assertEquals("idempotency_key_reused", socket.awaitFrame("another deposit under the key",
                    frame -> "d3".equals(frame.getString("id"))).getString("code"));
            socket.send(command("d4", byIns(ins).put("idempotencyKey", "port-2")).put("idempotencyKey", "port-3"));
            assertEquals("invalid_field", socket.awaitFrame("two keys", frame -> "d4".equals(frame.getString("id"))).getString("code"));
            socket.send(command("d5", byIns(ins).put("contentType", "image/png")));
            assertEquals("document_type_mismatch", socket.awaitFrame("a PDF said to be PNG",
                    frame -> "d5".equals(frame.getString("id"))).getString("code"));

            assertEquals(200, patient.http().get("/api/v1/documents/" + id + "/content").status());
            JsonObject opened = socket.awaitEvents(2).get(1);
            assertEquals("document.opened", opened.getString("type"));
            assertEquals(id, opened.getJsonObject("data").getString("documentId"));
            assertEquals(List.of("document.accepted", "document.opened"), socket.events().stream()
                    .map(event -> event.getString("type")).toList(), "one deposit, acknowledged once");
        }
        Person reader = hub.people().systemOf(lab, "Lecteur seul", "stream:read");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), reader.accessToken(), null)) {
            socket.send(command("r1", byIns(ins)));
            assertEquals("insufficient_scope", socket.awaitFrame("a system without documents:write",
                    frame -> "r1".equals(frame.getString("id"))).getString("code"));
        }
    }

    /**
     * A system sends its work on its socket: more frames a second than a person may (20), and commands that run side
     * by side, each answered by its id; none is lost or run twice.
     */
    @Test
    void aSystemsSocketCarriesAHundredDepositsSentAtOnce() {
        Person system = hub.people().integrator("Labo pressé", "documents:write");
        List<Person> patients = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            patients.add(hub.people().patient("Patient pressé " + i));
        }
        try (WsTestClient socket = WsTestClient.connect(hub.port(), system.accessToken())) {
            socket.awaitType("authenticated");
            for (int i = 0; i < 100; i++) {
                socket.send(command("many-" + i, deposit(patients.get(i % 10))).put("idempotencyKey", "many-" + i));
            }
            Set<String> documents = new java.util.HashSet<>();
            for (int i = 0; i < 100; i++) {
                String id = "many-" + i;
                JsonObject answer = Eventually.await("the answer to " + id, Duration.ofSeconds(30), () -> socket.frames().stream()
                        .filter(frame -> id.equals(frame.getString("id"))).findFirst().orElse(null), found -> found != null);
                assertEquals("result", answer.getString("type"), answer.encode());
                documents.add(answer.getJsonObject("result").getString("id"));
            }
            assertEquals(100, documents.size(), "a hundred deposits, each once");
            assertFalse(socket.isClosed(), "not cut for sending its work");
        }
        assertEquals(100, system.http().get("/api/v1/deposits?limit=200").json().getJsonArray("items").size());
    }

    /**
     * A document larger than a socket frame is uploaded by REST first, then deposited over the socket by its upload's
     * id: the patient reads the very bytes; an upload is taken once, by its owner only, and must be what it says.
     */
    @Test
    void aDocumentLargerThanAFrameIsUploadedThenDepositedOverTheSocketByItsUploadId() {
        Person system = hub.people().integrator("Labo imagerie", "documents:write");
        Person other = hub.people().integrator("Autre labo", "documents:write");
        Person patient = hub.people().patient("Patiente au gros dossier");
        byte[] pdf = ("%PDF-1.7\n" + "x".repeat(300_000) + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
        Response uploaded = hub.http().send("POST", "/api/v1/uploads", java.util.Map.of("Authorization", "Bearer " + system.accessToken()),
                "application/pdf", new String(pdf, StandardCharsets.US_ASCII));
        assertEquals(201, uploaded.status(), uploaded.body());
        String upload = uploaded.json().getString("uploadId");
        assertEquals(pdf.length, uploaded.json().getInteger("size"));

        JsonObject byUpload = deposit(patient).copy();
        byUpload.remove("data");
        byUpload.put("uploadId", upload);
        try (WsTestClient socket = WsTestClient.connect(hub.port(), other.accessToken())) {
            socket.awaitType("authenticated");
            socket.send(command("not-mine", byUpload).put("idempotencyKey", "big-1"));
            JsonObject refused = socket.awaitFrame("not-mine", frame -> "not-mine".equals(frame.getString("id")));
            assertEquals("upload_not_found", refused.getString("code"), "an upload is its owner's only");
        }
        try (WsTestClient socket = WsTestClient.connect(hub.port(), system.accessToken())) {
            socket.awaitType("authenticated");
            socket.send(command("big", byUpload).put("idempotencyKey", "big-1"));
            JsonObject answer = socket.awaitFrame("big", frame -> "big".equals(frame.getString("id")));
            assertEquals("result", answer.getString("type"), answer.encode());
            String document = answer.getJsonObject("result").getString("id");
            socket.send(command("again", byUpload).put("idempotencyKey", "big-1"));
            assertEquals(document, socket.awaitFrame("again", frame -> "again".equals(frame.getString("id")))
                    .getJsonObject("result").getString("id"), "a retry with the key answers the same document");
            socket.send(command("twice", byUpload).put("idempotencyKey", "big-2"));
            assertEquals("upload_not_found", socket.awaitFrame("twice", frame -> "twice".equals(frame.getString("id")))
                    .getString("code"), "an upload is taken once");
            Response content = patient.http().get("/api/v1/documents/" + document + "/content");
            assertEquals(200, content.status());
            assertEquals(new String(pdf, StandardCharsets.US_ASCII), content.body(), "the very bytes uploaded");
        }
        Response notPdf = hub.http().send("POST", "/api/v1/uploads", java.util.Map.of("Authorization", "Bearer " + system.accessToken()),
                "application/pdf", "not a pdf at all");
        assertEquals(415, notPdf.status());
        assertEquals("document_type_mismatch", notPdf.json().getString("code"));
        Person admin = hub.people().admin("Admin sans dépôt");
        assertEquals(403, admin.http().post("/api/v1/uploads", new JsonObject()).status(), "who may not deposit may not upload");
        assertEquals(0, hub.sql().count("SELECT count(*) FROM document_upload"), "nothing left behind");
    }

    /** An operator disables a system: its socket closes, its token and its secret stop; enabled again, it works again. */
    @Test
    void aDisabledSystemIsCutAtOnceAndGetsNoTokenUntilEnabledAgain() {
        Person admin = hub.people().admin("Opérateur");
        Response registered = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "Labo compromis")
                .put("organisationId", hub.people().organisation("laboratory", "Labo compromis SAS"))
                .put("scopes", new JsonArray().add("documents:write").add("stream:read")));
        assertEquals(201, registered.status(), registered.body());
        String id = registered.json().getString("id");
        String credentials = "grant_type=client_credentials&client_id=" + registered.json().getString("clientId")
                + "&client_secret=" + registered.json().getString("clientSecret");
        java.util.function.Supplier<Response> token = () -> hub.http().send("POST", "/api/v1/oauth/token", java.util.Map.of(),
                "application/x-www-form-urlencoded", credentials);
        String access = token.get().json().getString("access_token");
        Person patient = hub.people().patient("Patiente du labo compromis");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), access, null)) {
            socket.awaitType("subscribed");
            assertEquals(403, hub.people().professional("Dr Pas admin", "physician").http()
                    .put("/api/v1/admin/integrators/" + id + "/disabled", new JsonObject().put("disabled", true)).status());
            Response disabled = admin.http().put("/api/v1/admin/integrators/" + id + "/disabled", new JsonObject().put("disabled", true));
            assertEquals(200, disabled.status(), disabled.body());
            assertEquals(true, disabled.json().getBoolean("disabled"));
            assertEquals(4003, socket.awaitClose(), "its socket is cut at once");
        }
        assertEquals(401, hub.http().send("POST", "/api/v1/documents", java.util.Map.of("Authorization", "Bearer " + access),
                "application/json", deposit(patient).encode()).status());
        assertEquals(401, token.get().status(), "no new token while disabled");
        assertEquals(200, admin.http().put("/api/v1/admin/integrators/" + id + "/disabled", new JsonObject().put("disabled", false)).status());
        Response again = token.get();
        assertEquals(200, again.status(), again.body());
        assertEquals(201, hub.http().send("POST", "/api/v1/documents", java.util.Map.of("Authorization", "Bearer "
                + again.json().getString("access_token")), "application/json", deposit(patient).encode()).status());
        assertEquals("system_not_found", admin.http().put("/api/v1/admin/integrators/" + UUID.randomUUID() + "/disabled",
                new JsonObject().put("disabled", true)).json().getString("code"));
    }

    private static JsonObject command(String id, JsonObject args) {
        return new JsonObject().put("type", "command").put("id", id).put("op", "document.deposit").put("args", args);
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
        assertEquals(0, deposits(imaging).size(), "a blocked system no longer sees its deposits for that patient");
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
        created(admin.http().post("/api/v1/admin/organisations", new JsonObject().put("kind", "software_vendor")
                .put("name", "La Poste, siège").put("siret", "35600000000048"))); // La Poste's head office follows Luhn
        created(admin.http().post("/api/v1/admin/organisations", new JsonObject().put("kind", "software_vendor")
                .put("name", "La Poste, un bureau").put("siret", "35600000049837"))); // its offices: digits summing to 5k
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

    @Test
    void aSystemPagesThroughItsDepositsAndOnlySystemsListDeposits() {
        Person system = hub.people().integrator("Labo paginé", "documents:write");
        Person patient = hub.people().patient("Patiente aux trois résultats");
        for (int i = 0; i < 3; i++) {
            created(system.http().post("/api/v1/documents", deposit(patient)));
        }
        JsonObject first = system.http().get("/api/v1/deposits?limit=2").json();
        assertEquals(2, first.getJsonArray("items").size());
        JsonObject second = system.http().get("/api/v1/deposits?limit=2&before=" + first.getString("next")).json();
        assertEquals(1, second.getJsonArray("items").size());
        assertFalse(second.containsKey("next"));
        assertEquals(400, system.http().get("/api/v1/deposits?before=nonsense").status());
        assertEquals(400, system.http().get("/api/v1/deposits?before=1800-01-01T00:00:00Z_" + UUID.randomUUID()).status(),
                "a cursor outside the dates the API takes");
        assertEquals(403, patient.http().get("/api/v1/deposits").status());
        Person reader = hub.people().integrator("Sans dépôt", "stream:read");
        assertEquals("insufficient_scope", reader.http().get("/api/v1/deposits").json().getString("code"));
        assertEquals("insufficient_scope", reader.http().post("/api/v1/documents", deposit(patient)).json().getString("code"));

        String ins = patient.http().get("/api/v1/me").json().getString("ins");
        Response both = system.http().post("/api/v1/documents", deposit(hub.people().patient("Une autre")).put("ins", ins));
        assertEquals(400, both.status(), "named twice, perhaps two people: " + both.body());
        assertEquals("patientId", both.json().getString("field"));
        Response twoKeys = hub.http().send("POST", "/api/v1/documents", java.util.Map.of("Authorization", "Bearer "
                + system.accessToken(), "Idempotency-Key", "cle-a"), "application/json", deposit(patient).put("idempotencyKey", "cle-b").encode());
        assertEquals(400, twoKeys.status(), twoKeys.body());
        assertEquals("idempotencyKey", twoKeys.json().getString("field"));
        assertEquals(3, system.http().get("/api/v1/deposits").json().getJsonArray("items").size(), "nothing written by the refusals");
    }

    private static JsonArray deposits(Person system) {
        Response listed = system.http().get("/api/v1/deposits");
        assertEquals(200, listed.status(), listed.body());
        return listed.json().getJsonArray("items");
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

    private static JsonObject byIns(String ins) {
        return new JsonObject().put("ins", ins).put("kind", "lab_result").put("title", TITLE)
                .put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString())
                .put("contentType", "application/pdf").put("data", PDF);
    }

    private static JsonObject deposit(Person patient) {
        return new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result").put("title", TITLE)
                .put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString())
                .put("contentType", "application/pdf").put("data", PDF);
    }
}

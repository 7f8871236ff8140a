package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.identity.account.Provisioning;
import fr.relais.testing.DatabaseScan;
import fr.relais.testing.Footprint;
import fr.relais.testing.WsTestClient;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Closing a space leaves nothing of the patient anywhere in the database: the audit log keeps only keyed pseudonyms. */
class ErasureTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void closingASpaceLeavesNoRowThatNamesThePatientAndTheirConversationsGoForEveryone() {
        Footprint footprint = Footprint.leave(hub);
        Person patient = footprint.patient();
        Person doctor = footprint.doctor();
        String messages = "/api/v1/conversations/" + footprint.conversationId() + "/messages";
        assertEquals(200, doctor.http().get(messages).status());
        List<String> traces = new ArrayList<>(footprint.written());
        traces.addAll(List.of(patient.id().toString(), footprint.ins(), patient.email(), footprint.patientName()));
        String mobile = "+33698765432";
        assertEquals(200, patient.http().put("/api/v1/me/phone", new JsonObject().put("number", mobile)).status());
        String code = hub.smsc().awaitText(mobile, java.time.Duration.ofSeconds(20)).replaceAll("\\D+(\\d{6}).*", "$1");
        assertEquals(200, patient.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", code)).status());
        traces.add(mobile.substring(1)); // the number's digits, with or without its +

        Person app = hub.people().connectedApp(patient, "Appli de l'empreinte", "patient/DocumentReference.read");
        assertEquals(200, app.http().get("/api/v1/patients/" + patient.id() + "/documents").status());
        try (WsTestClient appSocket = WsTestClient.subscribed(hub.port(), app.accessToken(), null)) {
            appSocket.awaitType("subscribed");
            assertEquals(204, patient.http().post("/api/v1/me/close", new JsonObject().put("confirm", true)).status());
            assertEquals(4003, appSocket.awaitClose(), "the apps the patient connected are cut with their space");
        }

        // every table, the audit log's included: it keeps that things happened, under keyed pseudonyms
        DatabaseScan scan = DatabaseScan.of(hub.hub().database());
        assertEquals(List.of(), scan.find(traces));
        assertEquals(404, doctor.http().get(messages).status(), "the doctor's copy of the conversation went with it");
        assertEquals(0, doctor.http().get("/api/v1/conversations").json().getJsonArray("items").size());
        assertEquals(200, doctor.http().get("/api/v1/me").status(), "the professionals keep their accounts");
    }

    @Test
    void opposingTheSpaceAtActivationLeavesNothingOfWhatArrivedBeforeEither() {
        String ins = People.insNumber();
        String email = "opposant-" + UUID.randomUUID().toString().substring(0, 8) + "@example.fr";
        Provisioning.Created created = hub.hub().identity().provisioning()
                .addPatient("test", new JsonObject().put("ins", ins).put("email", email).put("displayName", "Opposant")).await();
        Person doctor = hub.people().professional("Dr Avant Activation", "physician");
        String title = "Compte rendu déposé avant l'opposition";
        assertEquals(201, doctor.http().post("/api/v1/documents", new JsonObject().put("ins", ins).put("kind", "prescription")
                .put("title", title).put("careDate", "2026-11-20").put("contentType", "application/pdf")
                .put("data", Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)))).status());

        assertEquals(204, hub.http().postJson("/api/v1/auth/oppose", new JsonObject().put("code", created.activationCode())).status());

        DatabaseScan scan = DatabaseScan.of(hub.hub().database());
        assertEquals(List.of(), scan.find(List.of(created.account().id().toString(), ins, email, title)));
    }
}

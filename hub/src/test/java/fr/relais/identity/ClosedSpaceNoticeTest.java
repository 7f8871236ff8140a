package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import fr.relais.identity.account.Provisioning;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Systems stop sending when a space closes: a lab that deposited is told which of its documents went with the
 * space, an app the patient connected is told its consent ended; neither learns the patient's identity.
 */
class ClosedSpaceNoticeTest {
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aLabAndAConnectedAppHearThatTheSpaceClosedByIdsTheyHoldOnly() {
        Person lab = hub.people().integrator("Labo Fermeture", "documents:write", "stream:read");
        Person otherLab = hub.people().integrator("Labo Sans Dépôt", "documents:write", "stream:read");
        Person patient = hub.people().patient("Patiente qui part");
        JsonObject app = hub.people().catalogueAppClient("Appli Fermeture", People.APP_CALLBACK, "launch/patient",
                "patient/DocumentReference.read", "stream:read");
        Person appSystem = clientCredentials(app);
        try (WsTestClient labSocket = WsTestClient.subscribed(hub.port(), lab.accessToken(), null);
             WsTestClient otherSocket = WsTestClient.subscribed(hub.port(), otherLab.accessToken(), null);
             WsTestClient appSocket = WsTestClient.subscribed(hub.port(), appSystem.accessToken(), null)) {
            labSocket.awaitType("subscribed");
            otherSocket.awaitType("subscribed");
            appSocket.awaitType("subscribed");
            hub.people().connect(patient, app.getString("clientId"), List.of("launch/patient", "patient/DocumentReference.read"));
            String consent = appSocket.awaitType("consent.granted").getJsonObject("data").getString("consentId");
            String first = deposit(lab, patient.id().toString());
            String second = deposit(lab, patient.id().toString());

            assertEquals(204, patient.http().post("/api/v1/me/close", new JsonObject().put("confirm", true)).status());

            JsonObject closed = labSocket.awaitType("space.closed").getJsonObject("data");
            assertEquals(new JsonArray(List.of(first, second)), closed.getJsonArray("documentIds"));
            assertEquals(false, closed.getBoolean("opposed"));
            assertEquals(2, closed.size(), "the documents' ids and nothing that names the patient");
            JsonObject revoked = appSocket.awaitType("consent.revoked").getJsonObject("data");
            assertEquals(consent, revoked.getString("consentId"));
            assertEquals("space_closed", revoked.getString("reason"));
            assertFalse(revoked.containsKey("patientId"), revoked.encode());
            assertEquals(List.of(), otherSocket.events().stream().filter(e -> e.getString("type").equals("space.closed")).toList(),
                    "a system that sent nothing hears nothing");
        }
    }

    @Test
    void aLabThatDepositedBeforeActivationHearsThatThePatientOpposedTheSpace() {
        Person lab = hub.people().integrator("Labo Opposition", "documents:write", "stream:read");
        Provisioning.Created created = hub.hub().identity().provisioning().addPatient("test", new JsonObject()
                .put("ins", People.insNumber()).put("email", "opposante-" + System.nanoTime() + "@example.fr")
                .put("displayName", "Opposante")).await();
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), lab.accessToken(), null)) {
            socket.awaitType("subscribed");
            String document = deposit(lab, created.account().id().toString());
            assertEquals(204, hub.http().postJson("/api/v1/auth/oppose", new JsonObject().put("code", created.activationCode())).status());
            JsonObject opposed = socket.awaitType("space.closed").getJsonObject("data");
            assertEquals(new JsonArray().add(document), opposed.getJsonArray("documentIds"));
            assertEquals(true, opposed.getBoolean("opposed"));
        }
    }

    private static String deposit(Person lab, String patientId) {
        Response deposited = lab.http().post("/api/v1/documents", new JsonObject().put("patientId", patientId)
                .put("kind", "lab_result").put("title", "Bilan").put("contentType", "application/pdf").put("data", PDF)
                .put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString()));
        assertEquals(201, deposited.status(), deposited.body());
        return deposited.json().getString("id");
    }

    private static Person clientCredentials(JsonObject app) {
        Response token = hub.http().send("POST", "/api/v1/oauth/token", Map.of(), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + app.getString("clientId") + "&client_secret="
                        + app.getString("clientSecret") + "&scope=stream:read");
        assertEquals(200, token.status(), token.body());
        String access = token.json().getString("access_token");
        assertNotNull(access);
        return new Person(null, null, access, null, null);
    }
}

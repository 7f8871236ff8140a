package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.AuthorizedClient;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A catalogue app asks a patient for consent (OAuth 2.0 authorization code with PKCE), follows the patient's new
 * documents live and reads them, and is cut at once when the patient revokes it; every step as the wrong party too.
 */
class AppConsentTest {
    private static final String CALLBACK = "https://app.example/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void anAppGetsConsentFollowsTheNewDocumentLiveAndIsCutAtOnceOnRevocation() throws Exception {
        String clientId = hub.people().catalogueApp("Carnet Santé+", CALLBACK, "launch/patient", "offline_access",
                "patient/DocumentReference.read", "stream:read");
        Person patient = hub.people().patient("Patiente connectée");
        Map<String, String> request = request(clientId, "launch/patient offline_access patient/DocumentReference.read");

        Response asked = hub.http().get("/api/v1/oauth/authorize?" + query(request));
        assertEquals(200, asked.status(), asked.body());
        assertEquals("Carnet Santé+", asked.json().getJsonObject("app").getString("name"), "the page shows who asks");
        assertEquals(new JsonArray(List.of("launch/patient", "offline_access", "patient/DocumentReference.read")),
                asked.json().getJsonArray("scopes"));

        Map<String, String> answer = grant(patient, request);
        assertEquals("xyz-state", answer.get("state"));
        JsonObject tokens = token(Map.of("grant_type", "authorization_code", "client_id", clientId, "code", answer.get("code"),
                "redirect_uri", CALLBACK, "code_verifier", VERIFIER));
        assertEquals(patient.id().toString(), tokens.getString("patient"));
        assertNotNull(tokens.getString("refresh_token"), "offline_access gives a refresh token");
        AuthorizedClient app = new AuthorizedClient(hub.http(), tokens.getString("access_token"));

        Person lab = hub.people().integrator("Labo Consent", "documents:write");
        String ins = patient.http().get("/api/v1/me").json().getString("ins");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), tokens.getString("access_token"), null)) {
            socket.awaitType("subscribed");
            Person doctor = hub.people().professional("Dr Hors Champ", "physician");
            hub.people().conversation(doctor, patient); // a message: not in what the patient granted
            Response deposited = lab.http().post("/api/v1/documents", new JsonObject().put("ins", ins).put("kind", "lab_result")
                    .put("title", "Glycémie").put("contentType", "application/pdf").put("data", PDF)
                    .put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString()));
            assertEquals(201, deposited.status(), deposited.body());
            String documentId = deposited.json().getString("id");

            JsonObject arrived = socket.awaitEvents(1).get(0);
            assertEquals("document.arrived", arrived.getString("type"), "the message before it is not the app's to see");
            assertEquals(documentId, arrived.getJsonObject("data").getString("documentId"));
            assertEquals("lab_result", arrived.getJsonObject("data").getString("kind"));
            assertFalse(arrived.getJsonObject("data").containsKey("authorName"), "ids and kinds only");

            Response listed = app.get("/api/v1/patients/" + patient.id() + "/documents");
            assertEquals(200, listed.status(), listed.body());
            assertEquals(documentId, listed.json().getJsonArray("items").getJsonObject(0).getString("id"));
            assertEquals(200, app.get("/api/v1/documents/" + documentId + "/content").status());
            JsonArray history = patient.http().get("/api/v1/me/access-history").json().getJsonArray("items");
            assertTrue(history.stream().map(JsonObject.class::cast).anyMatch(entry -> "Carnet Santé+".equals(entry.getString("actorName"))
                    && "integrator".equals(entry.getString("actorKind"))), history.encode());

            JsonArray apps = new JsonArray(patient.http().get("/api/v1/me/apps").body());
            assertEquals(clientId, apps.getJsonObject(0).getString("clientId"));

            assertEquals(204, patient.http().delete("/api/v1/me/apps/" + clientId).status());
            assertEquals(4003, socket.awaitClose(), "the app's socket is cut at once");
        }
        assertEquals(401, app.get("/api/v1/patients/" + patient.id() + "/documents").status());
        Response refreshed = tokenResponse(Map.of("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", tokens.getString("refresh_token")));
        assertEquals(400, refreshed.status(), refreshed.body());
        assertEquals("invalid_grant", refreshed.json().getString("error"));
        assertEquals(404, patient.http().delete("/api/v1/me/apps/" + clientId).status(), "nothing left to revoke");
    }

    @Test
    void aCodeIsTradedOnceByItsAppWithItsVerifierAndAnAppReadsOnlyItsPatientInItsScopes() throws Exception {
        String clientId = hub.people().catalogueApp("Suivi Tension", CALLBACK, "launch/patient", "patient/Observation.read",
                "patient/Observation.write", "patient/DocumentReference.read");
        String otherApp = hub.people().catalogueApp("Autre appli", CALLBACK, "launch/patient", "patient/DocumentReference.read");
        Person patient = hub.people().patient("Patient prudent");
        Person other = hub.people().patient("Autre patiente");
        Map<String, String> request = request(clientId, "launch/patient patient/Observation.read patient/Observation.write");
        String code = grant(patient, request).get("code");

        Response wrongVerifier = tokenResponse(Map.of("grant_type", "authorization_code", "client_id", clientId, "code", code,
                "redirect_uri", CALLBACK, "code_verifier", VERIFIER.replace('d', 'e')));
        assertEquals("invalid_grant", wrongVerifier.json().getString("error"), wrongVerifier.body());
        String code2 = grant(patient, request).get("code");
        Response otherClient = tokenResponse(Map.of("grant_type", "authorization_code", "client_id", otherApp, "code", code2,
                "redirect_uri", CALLBACK, "code_verifier", VERIFIER));
        assertEquals("invalid_grant", otherClient.json().getString("error"), "a code is its app's alone");
        String code3 = grant(patient, request).get("code");
        JsonObject tokens = token(Map.of("grant_type", "authorization_code", "client_id", clientId, "code", code3,
                "redirect_uri", CALLBACK, "code_verifier", VERIFIER));
        assertFalse(tokens.containsKey("refresh_token"), "no offline_access, no refresh token");
        Response again = tokenResponse(Map.of("grant_type", "authorization_code", "client_id", clientId, "code", code3,
                "redirect_uri", CALLBACK, "code_verifier", VERIFIER));
        assertEquals("invalid_grant", again.json().getString("error"), "a code is used once");

        AuthorizedClient app = new AuthorizedClient(hub.http(), tokens.getString("access_token"));
        JsonObject measurement = new JsonObject().put("type", "weight").put("value", 71.5).put("unit", "kg")
                .put("at", hub.clock().instant().toString());
        Response added = app.post("/api/v1/patients/" + patient.id() + "/profile/measurements", measurement);
        assertEquals(201, added.status(), added.body());
        assertEquals(403, app.delete("/api/v1/patients/" + patient.id() + "/profile/measurements/" + added.json().getString("id")).status(),
                "an app adds, it does not delete");
        assertEquals(404, app.post("/api/v1/patients/" + patient.id() + "/profile/allergies", new JsonObject()
                .put("substance", "Pollen").put("severity", "mild")).status(), "not granted");
        try (WsTestClient socket = WsTestClient.connect(hub.port(), tokens.getString("access_token"))) {
            socket.awaitType("authenticated");
            JsonObject device = new JsonObject().put("type", "command").put("op", "profile.add").put("idempotencyKey", "scale-0001")
                    .put("args", new JsonObject().put("section", "measurements").put("entry", measurement.copy().put("value", 71.2)));
            socket.send(device.copy().put("id", "first"));
            JsonObject first = socket.awaitFrame("first", f -> "first".equals(f.getString("id")));
            assertEquals("result", first.getString("type"), first.encode());
            socket.send(device.copy().put("id", "again"));
            assertEquals(first.getJsonObject("result").getString("id"), socket.awaitFrame("again", f -> "again".equals(f.getString("id")))
                    .getJsonObject("result").getString("id"), "a connected device's retry adds nothing");
        }
        JsonObject profile = app.get("/api/v1/patients/" + patient.id() + "/profile").json();
        assertEquals(2, profile.getJsonArray("measurements").size(), profile.encode());
        assertFalse(profile.containsKey("allergies"), "a section not granted is not shown");
        assertEquals(0, app.get("/api/v1/patients/" + patient.id() + "/documents").json().getJsonArray("items").size(),
                "documents were not granted: none listed");
        assertEquals(404, app.get("/api/v1/patients/" + other.id() + "/documents").status(), "another patient");
        assertEquals(403, app.post("/api/v1/documents", new JsonObject().put("patientId", patient.id().toString())).status(),
                "reading is not writing");
    }

    @Test
    void onlyAPatientConsentsAndARequestThatIsNotTheAppsIsRefused() {
        String clientId = hub.people().catalogueApp("Appli Agenda", CALLBACK, "launch/patient", "patient/Appointment.read");
        Person doctor = hub.people().professional("Dr Consentant", "physician");
        Person lab = hub.people().integrator("Labo pas une appli", "documents:write");
        Map<String, String> request = request(clientId, "launch/patient patient/Appointment.read");
        JsonObject body = new JsonObject().put("request", new JsonObject(new HashMap<>(request))).put("decision", "grant");
        assertEquals(403, doctor.http().post("/api/v1/oauth/authorize", body).status());
        assertEquals(403, lab.http().post("/api/v1/oauth/authorize", body).status());
        assertEquals(401, hub.http().postJson("/api/v1/oauth/authorize", body).status());
        assertEquals(403, doctor.http().get("/api/v1/me/apps").status());

        Map<String, String> elsewhere = new HashMap<>(request);
        elsewhere.put("redirect_uri", "https://attacker.example/steal");
        Response refused = hub.http().get("/api/v1/oauth/authorize?" + query(elsewhere));
        assertEquals(400, refused.status());
        assertEquals("invalid_redirect_uri", refused.json().getString("code"));
        assertFalse(refused.json().containsKey("redirect"), "never sent back to an unregistered address");

        Map<String, String> noPkce = new HashMap<>(request);
        noPkce.remove("code_challenge");
        Response pkce = hub.http().get("/api/v1/oauth/authorize?" + query(noPkce));
        assertEquals("invalid_request", pkce.json().getString("code"));
        assertTrue(pkce.json().getString("redirect").startsWith(CALLBACK + "?error=invalid_request"), pkce.body());

        Map<String, String> more = new HashMap<>(request);
        more.put("scope", "launch/patient patient/DocumentReference.read");
        assertEquals("invalid_scope", hub.http().get("/api/v1/oauth/authorize?" + query(more)).json().getString("code"),
                "an app asks only for what it registered");

        Person patient = hub.people().patient("Patiente qui refuse");
        Response denied = patient.http().post("/api/v1/oauth/authorize", body.copy().put("decision", "deny"));
        assertEquals(CALLBACK + "?error=access_denied&state=xyz-state", denied.json().getString("redirect"));
        assertEquals(0, new JsonArray(patient.http().get("/api/v1/me/apps").body()).size());

        Response page = hub.http().get("/oauth/authorize?" + query(request));
        assertEquals(200, page.status());
        assertEquals("DENY", page.header("X-Frame-Options"), "the consent page cannot be framed by another site");
        assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"));

        JsonObject metadata = hub.http().get("/.well-known/oauth-authorization-server").json();
        assertEquals(new JsonArray().add("S256"), metadata.getJsonArray("code_challenge_methods_supported"));
        assertEquals(metadata.getString("issuer") + "/oauth/authorize", metadata.getString("authorization_endpoint"));
        assertTrue(metadata.getJsonArray("scopes_supported").contains("patient/DocumentReference.read"));
    }

    @Test
    void blockingAConnectedAppWithdrawsTheConsentAndCutsItAtOnce() {
        Person patient = hub.people().patient("Patiente qui bloque");
        Person app = hub.people().connectedApp(patient, "Appli bloquée", "patient/DocumentReference.read");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), app.accessToken(), null)) {
            socket.awaitType("subscribed");
            Response blocked = patient.http().post("/api/v1/me/blocked-systems", new JsonObject().put("integratorId", app.id().toString()));
            assertEquals(201, blocked.status(), blocked.body());
            assertEquals(4003, socket.awaitClose());
        }
        assertEquals(401, app.http().get("/api/v1/patients/" + patient.id() + "/documents").status());
        assertEquals(0, new JsonArray(patient.http().get("/api/v1/me/apps").body()).size(), "the consent went with the block");
    }

    @Test
    void anAppsSocketCannotBeMovedToAnotherGrantSoItsRevocationStillCutsIt() {
        JsonObject registered = hub.people().catalogueAppClient("Appli à deux patients", fr.relais.testing.People.APP_CALLBACK,
                "launch/patient", "patient/DocumentReference.read", "stream:read");
        String clientId = registered.getString("clientId");
        Person first = hub.people().patient("Premier patient");
        Person second = hub.people().patient("Second patient");
        Person appForFirst = hub.people().connect(first, clientId, List.of("launch/patient", "patient/DocumentReference.read"));
        Person appForSecond = hub.people().connect(second, clientId, List.of("launch/patient", "patient/DocumentReference.read"));
        Response own = hub.http().send("POST", "/api/v1/oauth/token", Map.of(), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + registered.getString("clientSecret"));
        assertEquals(200, own.status(), own.body());
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), appForFirst.accessToken(), null);
             WsTestClient other = WsTestClient.subscribed(hub.port(), appForSecond.accessToken(), null)) {
            socket.awaitType("subscribed");
            other.awaitType("subscribed");
            for (String token : List.of(appForSecond.accessToken(), own.json().getString("access_token"))) {
                socket.send(new JsonObject().put("type", "refresh").put("token", token));
            }
            fr.relais.testing.Eventually.await("both refreshes refused", java.time.Duration.ofSeconds(10),
                    () -> socket.frames().stream().filter(f -> "principal_mismatch".equals(f.getString("code"))).count(), n -> n == 2);
            assertEquals(204, first.http().delete("/api/v1/me/apps/" + clientId).status());
            assertEquals(4003, socket.awaitClose(), "still the first patient's grant: cut with it");
            assertFalse(other.isClosed(), "the second patient's grant stands");
        }
    }

    @Test
    void aNarrowerGrantEndsWhatTheWiderOneGaveAndABlockedAppCannotBeAllowed() {
        String clientId = hub.people().catalogueApp("Appli qui rétrécit", CALLBACK, "launch/patient", "offline_access",
                "patient/DocumentReference.read");
        Person patient = hub.people().patient("Patiente qui change d'avis");
        JsonObject wide = token(Map.of("grant_type", "authorization_code", "client_id", clientId, "redirect_uri", CALLBACK,
                "code_verifier", VERIFIER, "code", grant(patient, request(clientId,
                        "launch/patient offline_access patient/DocumentReference.read")).get("code")));
        Response wrongClient = tokenResponse(Map.of("grant_type", "refresh_token", "client_id", "rl_not_this_app",
                "refresh_token", wide.getString("refresh_token")));
        assertEquals("invalid_grant", wrongClient.json().getString("error"));

        grant(patient, request(clientId, "launch/patient patient/DocumentReference.read"));
        assertEquals(401, new AuthorizedClient(hub.http(), wide.getString("access_token"))
                .get("/api/v1/patients/" + patient.id() + "/documents").status(), "the wider grant's session ended");
        Response refreshed = tokenResponse(Map.of("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", wide.getString("refresh_token")));
        assertEquals("invalid_grant", refreshed.json().getString("error"), "no offline_access any more: " + refreshed.body());

        String appId = new JsonArray(patient.http().get("/api/v1/me/apps").body()).getJsonObject(0).getString("clientId");
        assertEquals(clientId, appId);
        Person app = hub.people().connect(patient, clientId, List.of("launch/patient", "patient/DocumentReference.read"));
        assertEquals(201, patient.http().post("/api/v1/me/blocked-systems", new JsonObject().put("integratorId", app.id().toString())).status());
        Response blocked = patient.http().post("/api/v1/oauth/authorize", new JsonObject()
                .put("request", new JsonObject(new HashMap<>(request(clientId, "launch/patient")))).put("decision", "grant"));
        assertEquals(409, blocked.status(), blocked.body());
        assertEquals("app_blocked", blocked.json().getString("code"));
    }

    private static Map<String, String> request(String clientId, String scope) throws RuntimeException {
        Map<String, String> request = new HashMap<>();
        request.put("response_type", "code");
        request.put("client_id", clientId);
        request.put("redirect_uri", CALLBACK);
        request.put("scope", scope);
        request.put("state", "xyz-state");
        request.put("code_challenge", challenge(VERIFIER));
        request.put("code_challenge_method", "S256");
        return request;
    }

    /** The patient grants on the consent page's API; the parameters of the address they are sent back to. */
    private static Map<String, String> grant(Person patient, Map<String, String> request) {
        Response granted = patient.http().post("/api/v1/oauth/authorize", new JsonObject()
                .put("request", new JsonObject(new HashMap<>(request))).put("decision", "grant"));
        assertEquals(200, granted.status(), granted.body());
        URI back = URI.create(granted.json().getString("redirect"));
        assertEquals(CALLBACK, back.getScheme() + "://" + back.getHost() + back.getPath());
        Map<String, String> params = new HashMap<>();
        for (String pair : back.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params;
    }

    private static JsonObject token(Map<String, String> form) {
        Response response = tokenResponse(form);
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    private static Response tokenResponse(Map<String, String> form) {
        return hub.http().send("POST", "/api/v1/oauth/token", Map.of(), "application/x-www-form-urlencoded", query(form));
    }

    private static String query(Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> query.append(query.isEmpty() ? "" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminAndIntegratorTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void onlyAdminsProvisionAndOthersAreToldWhy() {
        JsonObject patient = new JsonObject().put("ins", People.insNumber()).put("email", "x@example.fr").put("displayName", "X");
        assertEquals(401, hub.http().postJson("/api/v1/admin/patients", patient).status());
        Person pro = hub.people().professional("Dr Who", "physician");
        Response forbidden = pro.http().post("/api/v1/admin/patients", patient);
        assertEquals(403, forbidden.status());
        assertEquals("forbidden", forbidden.json().getString("code"));
        Person patientUser = hub.people().patient("Not an admin");
        assertEquals(403, patientUser.http().post("/api/v1/admin/integrators",
                new JsonObject().put("name", "x").put("scopes", new JsonArray().add("stream:read"))).status());
    }

    @Test
    void aProvisionedPatientGetsAnActivationEmailAndCanLogIn() throws Exception {
        Person admin = hub.people().admin("Root");
        String email = "new.patient@example.fr";
        Response created = admin.http().post("/api/v1/admin/patients", new JsonObject()
                .put("ins", People.insNumber()).put("email", email).put("displayName", "Nouvelle Patiente"));
        assertEquals(201, created.status(), created.body());
        assertEquals("pending", created.json().getString("status"));
        assertTrue(created.json().getBoolean("activationEmailQueued"));

        MimeMessage activation = fr.relais.testing.Eventually.await("the activation email", java.time.Duration.ofSeconds(15),
                () -> hub.mail().getReceivedMessagesForDomain(email), found -> found.length == 1)[0];
        assertEquals("Activez votre espace santé", activation.getSubject());
        Matcher code = Pattern.compile("Code d'activation : ([A-Za-z0-9_-]+)").matcher(GreenMailUtil.getBody(activation));
        assertTrue(code.find());
        Response activated = hub.http().postJson("/api/v1/auth/activate",
                new JsonObject().put("code", code.group(1)).put("password", People.PASSWORD));
        assertEquals(200, activated.status(), activated.body());
        Person logged = hub.people().logIn(email, People.PASSWORD);
        assertEquals(200, logged.http().get("/api/v1/me").status());

        Response reused = hub.http().postJson("/api/v1/auth/activate",
                new JsonObject().put("code", code.group(1)).put("password", People.PASSWORD));
        assertEquals("activation_invalid", reused.json().getString("code"));
    }

    @Test
    void badInputsAreRefusedWithTheirField() {
        Person admin = hub.people().admin("Checker");
        Response badIns = admin.http().post("/api/v1/admin/patients", new JsonObject()
                .put("ins", "185077512345600").put("email", "y@example.fr").put("displayName", "Y"));
        assertEquals(400, badIns.status());
        assertEquals("ins", badIns.json().getString("field"));
        Response badRpps = admin.http().post("/api/v1/admin/professionals", new JsonObject()
                .put("rpps", "123").put("profession", "physician").put("email", "z@example.fr").put("displayName", "Z"));
        assertEquals("rpps", badRpps.json().getString("field"));
        Response badProfession = admin.http().post("/api/v1/admin/professionals", new JsonObject()
                .put("rpps", People.rppsNumber()).put("profession", "wizard").put("email", "z@example.fr").put("displayName", "Z"));
        assertEquals("profession", badProfession.json().getString("field"));
        String ins = People.insNumber();
        JsonObject patient = new JsonObject().put("ins", ins).put("email", "dup@example.fr").put("displayName", "Dup");
        assertEquals(201, admin.http().post("/api/v1/admin/patients", patient).status());
        Response duplicate = admin.http().post("/api/v1/admin/patients", patient.copy().put("email", "other@example.fr"));
        assertEquals(409, duplicate.status());
        assertEquals("account_exists", duplicate.json().getString("code"));
    }

    @Test
    void aPatientWhoOpposesIsDeletedAndNeverRecreated() {
        String ins = People.insNumber();
        var created = hub.hub().identity().provisioning().addPatient("test",
                new JsonObject().put("ins", ins).put("email", "opposed@example.fr").put("displayName", "Opposée")).await();
        Response opposed = hub.http().postJson("/api/v1/auth/oppose", new JsonObject().put("code", created.activationCode()));
        assertEquals(204, opposed.status(), opposed.body());
        assertEquals(0, hub.sql().count("SELECT count(*) FROM account WHERE id = ?", created.account().id()));
        assertEquals(0, hub.sql().count("SELECT count(*) FROM space_opposition WHERE ins_hash::text LIKE ?", "%" + ins + "%"),
                "the INS itself is never stored, only a keyed hash");

        Person admin = hub.people().admin("Again");
        Response again = admin.http().post("/api/v1/admin/patients",
                new JsonObject().put("ins", ins).put("email", "opposed2@example.fr").put("displayName", "Opposée"));
        assertEquals(409, again.status());
        assertEquals("space_opposed", again.json().getString("code"));
    }

    @Test
    void integratorsGetScopedTokensWithClientCredentials() {
        Person admin = hub.people().admin("Integrations");
        Response client = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "Labo Biolab")
                .put("organisationId", hub.people().organisation("laboratory", "Biolab"))
                .put("scopes", new JsonArray().add("documents:write").add("stream:read")));
        assertEquals(201, client.status(), client.body());
        String id = client.json().getString("clientId");
        String secret = client.json().getString("clientSecret");

        Response token = tokenRequest("grant_type=client_credentials&scope=documents:write", id, secret);
        assertEquals(200, token.status(), token.body());
        assertEquals("Bearer", token.json().getString("token_type"));
        assertEquals("documents:write", token.json().getString("scope"));
        Response me = hub.http().send("GET", "/api/v1/me", Map.of("Authorization", "Bearer " + token.json().getString("access_token")));
        assertEquals("integrator", me.json().getString("kind"));
        assertEquals(new JsonArray().add("documents:write"), me.json().getJsonArray("scopes"));
        Response notAdmin = hub.http().send("POST", "/api/v1/admin/patients",
                Map.of("Authorization", "Bearer " + token.json().getString("access_token")), "application/json", "{}");
        assertEquals(403, notAdmin.status());

        Response wrongSecret = tokenRequest("grant_type=client_credentials", id, secret + "x");
        assertEquals(401, wrongSecret.status());
        assertEquals("invalid_client", wrongSecret.json().getString("error"));
        Response tooMuch = tokenRequest("grant_type=client_credentials&scope=agenda:write", id, secret);
        assertEquals(400, tooMuch.status());
        assertEquals("invalid_scope", tooMuch.json().getString("error"));
        Response badGrant = tokenRequest("grant_type=password", id, secret);
        assertEquals("unsupported_grant_type", badGrant.json().getString("error"));
        Response unknownScope = admin.http().post("/api/v1/admin/integrators",
                new JsonObject().put("name", "x").put("organisationId", hub.people().organisation("hospital", "x"))
                        .put("scopes", new JsonArray().add("everything")));
        assertEquals("scopes", unknownScope.json().getString("field"));
    }

    private static Response tokenRequest(String form, String id, String secret) {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return hub.http().send("POST", "/api/v1/oauth/token", Map.of("Authorization", "Basic " + basic),
                "application/x-www-form-urlencoded", form);
    }

    @Test
    void noSecretIsEverReturnedWithAnAccount() {
        Person p = hub.people().patient("Secretive");
        String me = p.http().get("/api/v1/me").body();
        assertFalse(me.contains("argon2"), me);
        assertFalse(me.toLowerCase().contains("password"), me);
    }
}

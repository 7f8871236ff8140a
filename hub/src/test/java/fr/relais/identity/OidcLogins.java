package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;

/** Logins with an external provider's ID token, as the OIDC tests send them. */
record OidcLogins(TestHub hub) {
    /** A professional the admin registered, who may log in with their RPPS number; the number. */
    String registeredProfessional() {
        String rpps = People.rppsNumber();
        hub.hub().identity().provisioning().addProfessional("test", new JsonObject().put("rpps", rpps)
                .put("profession", "physician").put("email", "idp" + rpps + "@example.fr").put("displayName", "Dr IdP")).await();
        return rpps;
    }

    Response oidc(String idToken) {
        return hub.http().postJson("/api/v1/auth/oidc", new JsonObject().put("idToken", idToken));
    }

    void assertRefused(String idToken, String code) {
        Response response = oidc(idToken);
        assertEquals(401, response.status(), response.body());
        assertEquals(code, response.json().getString("code"));
    }
}

package fr.relais.identity;

import fr.relais.testing.ClockSensitive;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Professionals logging in with an external OpenID Connect provider whose JWKS this test serves. */
@ClockSensitive
class OidcLoginTest {
    private static final FakeIdentityProvider provider = new FakeIdentityProvider("https://psc.example.test/realms/esante");

    @RegisterExtension
    static final TestHub hub = provider.trustedBy(TestHub.create(), "psc");

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void aValidIdTokenLogsTheProfessionalIn() {
        String rpps = registeredProfessional();
        Response login = oidc(provider.rs256(claims(rpps)));
        assertEquals(200, login.status(), login.body());
        assertEquals("professional", login.json().getJsonObject("account").getString("kind"));
        Response me = hub.http().send("GET", "/api/v1/me",
                Map.of("Authorization", "Bearer " + login.json().getString("accessToken")));
        assertEquals(rpps, me.json().getString("rpps"));
    }

    @Test
    void anIdTokenLogsInOnceAndIsRefusedWhenReplayed() {
        String rpps = registeredProfessional();
        String token = provider.rs256(claims(rpps));
        assertEquals(200, oidc(token).status());
        assertRefused(token, "token_replayed");

        JsonObject withId = claims(rpps).put("jti", "psc-" + rpps);
        assertEquals(200, oidc(provider.rs256(withId)).status());
        assertRefused(provider.rs256(withId.put("iat", withId.getLong("iat") + 1)), "token_replayed");
    }

    @Test
    void wrongAudienceExpiredUntrustedIssuerUnknownRppsAndBadSignatureAreRefused() {
        String rpps = registeredProfessional();
        assertRefused(provider.rs256(claims(rpps).put("aud", "another-app")), "external_token_invalid");
        assertRefused(provider.rs256(claims(rpps).put("exp", hub.clock().instant().minusSeconds(600).getEpochSecond())),
                "external_token_invalid");
        assertRefused(provider.rs256(claims(rpps).put("iss", "https://evil.example")), "external_token_invalid");
        assertRefused(provider.rs256(claims("10000000000")), "unknown_professional");
        String good = provider.rs256(claims(rpps));
        assertRefused(good.substring(0, good.length() - 4) + "AAAA", "external_token_invalid");
    }

    @Test
    void aProviderKeyRotationIsPickedUpFromTheJwks() {
        String rpps = registeredProfessional();
        assertEquals(200, oidc(provider.rs256(claims(rpps))).status());
        provider.rotate();
        // the hub refetches a provider's keys on an unknown kid, but at most every few seconds
        hub.clock().advance(Duration.ofSeconds(6));
        Response afterRotation = oidc(provider.rs256(claims(rpps)));
        assertEquals(200, afterRotation.status(), "an unknown kid makes the hub fetch the JWKS again: " + afterRotation.body());
    }

    private static String registeredProfessional() {
        String rpps = People.rppsNumber();
        hub.hub().identity().provisioning().addProfessional("test", new JsonObject().put("rpps", rpps)
                .put("profession", "physician").put("email", "psc" + rpps + "@example.fr").put("displayName", "Dr PSC")).await();
        return rpps;
    }

    private static JsonObject claims(String rpps) {
        return provider.claims(rpps, hub.clock().instant());
    }

    private static Response oidc(String idToken) {
        return hub.http().postJson("/api/v1/auth/oidc", new JsonObject().put("idToken", idToken));
    }

    private static void assertRefused(String idToken, String code) {
        Response response = oidc(idToken);
        assertEquals(401, response.status(), response.body());
        assertEquals(code, response.json().getString("code"));
    }
}

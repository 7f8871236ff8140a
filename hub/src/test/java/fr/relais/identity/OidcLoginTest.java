package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.ClockSensitive;
import fr.relais.testing.HttpTestClient.Response;
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
    private static final OidcLogins logins = new OidcLogins(hub);

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void aValidIdTokenLogsTheProfessionalIn() {
        String rpps = logins.registeredProfessional();
        Response login = logins.oidc(provider.rs256(claims(rpps)));
        assertEquals(200, login.status(), login.body());
        assertEquals("professional", login.json().getJsonObject("account").getString("kind"));
        Response me = hub.http().send("GET", "/api/v1/me",
                Map.of("Authorization", "Bearer " + login.json().getString("accessToken")));
        assertEquals(rpps, me.json().getString("rpps"));
    }

    @Test
    void anIdTokenLogsInOnceAndIsRefusedWhenReplayed() {
        String rpps = logins.registeredProfessional();
        String token = provider.rs256(claims(rpps));
        assertEquals(200, logins.oidc(token).status());
        logins.assertRefused(token, "token_replayed");

        JsonObject withId = claims(rpps).put("jti", "psc-" + rpps);
        assertEquals(200, logins.oidc(provider.rs256(withId)).status());
        logins.assertRefused(provider.rs256(withId.put("iat", withId.getLong("iat") + 1)), "token_replayed");
    }

    @Test
    void wrongAudienceExpiredUntrustedIssuerUnknownRppsAndBadSignatureAreRefused() {
        String rpps = logins.registeredProfessional();
        logins.assertRefused(provider.rs256(claims(rpps).put("aud", "another-app")), "external_token_invalid");
        logins.assertRefused(provider.rs256(claims(rpps).put("exp", hub.clock().instant().minusSeconds(600).getEpochSecond())),
                "external_token_invalid");
        logins.assertRefused(provider.rs256(claims(rpps).put("iss", "https://evil.example")), "external_token_invalid");
        logins.assertRefused(provider.rs256(claims("10000000000")), "unknown_professional");
        String good = provider.rs256(claims(rpps));
        logins.assertRefused(good.substring(0, good.length() - 4) + "AAAA", "external_token_invalid");
    }

    @Test
    void aProviderKeyRotationIsPickedUpFromTheJwks() {
        String rpps = logins.registeredProfessional();
        assertEquals(200, logins.oidc(provider.rs256(claims(rpps))).status());
        provider.rotate();
        // the hub refetches a provider's keys on an unknown kid, but at most every few seconds
        hub.clock().advance(Duration.ofSeconds(6));
        Response afterRotation = logins.oidc(provider.rs256(claims(rpps)));
        assertEquals(200, afterRotation.status(), "an unknown kid makes the hub fetch the JWKS again: " + afterRotation.body());
    }

    private static JsonObject claims(String rpps) {
        return provider.claims(rpps, hub.clock().instant());
    }
}

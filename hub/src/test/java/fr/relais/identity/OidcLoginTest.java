package fr.relais.identity;

import fr.relais.testing.ClockSensitive;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.TestHub;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Professionals logging in with an external OpenID Connect provider whose JWKS this test serves. */
@ClockSensitive
class OidcLoginTest {
    private static final String ISSUER = "https://psc.example.test/realms/esante";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Vertx providerVertx = Vertx.vertx();
    private static final AtomicReference<KeyPair> providerKey = new AtomicReference<>(rsa());
    private static final AtomicReference<String> providerKid = new AtomicReference<>("k1");
    private static final HttpServer jwksServer = providerVertx.createHttpServer()
            .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(jwks().encode()))
            .listen(0, "127.0.0.1").await();

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("auth.oidc.issuers.psc.issuer", ISSUER)
            .with("auth.oidc.issuers.psc.jwksUrl", "http://127.0.0.1:" + jwksServer.actualPort() + "/certs")
            .with("auth.oidc.issuers.psc.audience", "relais")
            .with("auth.oidc.issuers.psc.rppsClaim", "SubjectNameID");

    @AfterAll
    static void stopProvider() {
        providerVertx.close().await();
    }

    @Test
    void aValidIdTokenLogsTheProfessionalIn() {
        String rpps = registeredProfessional();
        Response login = oidc(idToken(claims(rpps)));
        assertEquals(200, login.status(), login.body());
        assertEquals("professional", login.json().getJsonObject("account").getString("kind"));
        Response me = hub.http().send("GET", "/api/v1/me",
                java.util.Map.of("Authorization", "Bearer " + login.json().getString("accessToken")));
        assertEquals(rpps, me.json().getString("rpps"));
    }

    @Test
    void anIdTokenLogsInOnceAndIsRefusedWhenReplayed() {
        String rpps = registeredProfessional();
        String token = idToken(claims(rpps));
        assertEquals(200, oidc(token).status());
        assertRefused(token, "token_replayed");

        JsonObject withId = claims(rpps).put("jti", "psc-" + rpps);
        assertEquals(200, oidc(idToken(withId)).status());
        assertRefused(idToken(withId.put("iat", withId.getLong("iat") + 1)), "token_replayed");
    }

    @Test
    void wrongAudienceExpiredUntrustedIssuerUnknownRppsAndBadSignatureAreRefused() {
        String rpps = registeredProfessional();
        assertRefused(idToken(claims(rpps).put("aud", "another-app")), "external_token_invalid");
        assertRefused(idToken(claims(rpps).put("exp", hub.clock().instant().minusSeconds(600).getEpochSecond())), "external_token_invalid");
        assertRefused(idToken(claims(rpps).put("iss", "https://evil.example")), "external_token_invalid");
        assertRefused(idToken(claims("10000000000")), "unknown_professional");
        String good = idToken(claims(rpps));
        assertRefused(good.substring(0, good.length() - 4) + "AAAA", "external_token_invalid");
    }

    @Test
    void aProviderKeyRotationIsPickedUpFromTheJwks() {
        String rpps = registeredProfessional();
        assertEquals(200, oidc(idToken(claims(rpps))).status());
        providerKey.set(rsa());
        providerKid.set("k" + System.nanoTime());
        // the hub refetches a provider's keys on an unknown kid, but at most every few seconds
        hub.clock().advance(java.time.Duration.ofSeconds(6));
        Response afterRotation = oidc(idToken(claims(rpps)));
        assertEquals(200, afterRotation.status(), "an unknown kid makes the hub fetch the JWKS again: " + afterRotation.body());
    }

    private static String registeredProfessional() {
        String rpps = People.rppsNumber();
        hub.hub().identity().provisioning().addProfessional("test", new JsonObject().put("rpps", rpps)
                .put("profession", "physician").put("email", "psc" + rpps + "@example.fr").put("displayName", "Dr PSC")).await();
        return rpps;
    }

    private static JsonObject claims(String rpps) {
        long now = hub.clock().instant().getEpochSecond();
        return new JsonObject().put("iss", ISSUER).put("aud", "relais").put("sub", "f:550dc1c8:" + rpps)
                .put("SubjectNameID", rpps).put("iat", now).put("exp", now + 300);
    }

    private static Response oidc(String idToken) {
        return hub.http().postJson("/api/v1/auth/oidc", new JsonObject().put("idToken", idToken));
    }

    private static void assertRefused(String idToken, String code) {
        Response response = oidc(idToken);
        assertEquals(401, response.status(), response.body());
        assertEquals(code, response.json().getString("code"));
    }

    private static String idToken(JsonObject claims) {
        try {
            String input = B64.encodeToString(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", providerKid.get())
                    .encode().getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(providerKey.get().getPrivate());
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject jwks() {
        RSAPublicKey key = (RSAPublicKey) providerKey.get().getPublic();
        return new JsonObject().put("keys", new JsonArray().add(new JsonObject().put("kty", "RSA").put("alg", "RS256")
                .put("use", "sig").put("kid", providerKid.get())
                .put("n", B64.encodeToString(unsigned(key.getModulus())))
                .put("e", B64.encodeToString(unsigned(key.getPublicExponent())))));
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

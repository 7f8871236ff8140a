package fr.relais.identity.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.identity.TestJws;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every way a forged or stale access token must fail, against the real hub. */
@ClockSensitive
class AccessTokenSecurityTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aValidTokenIsAccepted() {
        Person p = hub.people().patient("Valid");
        assertEquals(200, p.http().get("/api/v1/me").status());
    }

    @Test
    void aTamperedPayloadIsRefused() {
        Person p = hub.people().patient("Tamper");
        String[] parts = p.accessToken().split("\\.");
        JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        payload.put("kind", "admin");
        assertRefused(parts[0] + "." + encode(payload) + "." + parts[2], "token_invalid");
    }

    @Test
    void algNoneIsRefused() {
        Person p = hub.people().patient("None");
        String[] parts = p.accessToken().split("\\.");
        String header = encode(new JsonObject().put("alg", "none").put("typ", "JWT").put("kid", kid(p)));
        assertRefused(header + "." + parts[1] + ".", "token_invalid");
        assertRefused(header + "." + parts[1] + "." + parts[2], "token_invalid");
    }

    @Test
    void hmacSignedWithThePublicKeyIsRefused() throws Exception {
        Person p = hub.people().patient("Confused");
        String[] parts = p.accessToken().split("\\.");
        String header = encode(new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", kid(p)));
        byte[] publicJwk = hub.http().get("/.well-known/jwks.json").body().getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicJwk, "HmacSHA256"));
        String input = header + "." + parts[1];
        assertRefused(input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII))), "token_invalid");
    }

    @Test
    void rs256HeaderIsRefused() {
        Person p = hub.people().patient("Rsa");
        String[] parts = p.accessToken().split("\\.");
        String header = encode(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid(p)));
        assertRefused(header + "." + parts[1] + "." + parts[2], "token_invalid");
    }

    @Test
    void anUnknownKidIsRefused() {
        Person p = hub.people().patient("Kid");
        String[] parts = p.accessToken().split("\\.");
        String header = encode(new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", "no-such-key"));
        assertRefused(header + "." + parts[1] + "." + parts[2], "token_invalid");
    }

    @Test
    void aTokenSignedByAnotherKeyWithOurKidIsRefused() throws Exception {
        Person p = hub.people().patient("Impostor");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        JsonObject payload = payload(p);
        assertRefused(TestJws.es256(kid(p), payload, generator.generateKeyPair().getPrivate()), "token_invalid");
    }

    @Test
    void wrongIssuerOrAudienceIsRefusedEvenWhenSignedByUs() {
        Person p = hub.people().patient("Issuer");
        SigningKeys.Key key = hub.hub().identity().signingKeys().active();
        assertRefused(TestJws.es256(key.kid(), payload(p).put("iss", "someone-else"), key.privateKey()), "token_invalid");
        assertRefused(TestJws.es256(key.kid(), payload(p).put("aud", "another-api"), key.privateKey()), "token_invalid");
        long future = hub.clock().instant().plus(Duration.ofHours(1)).getEpochSecond();
        assertRefused(TestJws.es256(key.kid(), payload(p).put("nbf", future), key.privateKey()), "token_invalid");
        assertEquals(200, hub.http().send("GET", "/api/v1/me", Map.of("Authorization", "Bearer "
                + TestJws.es256(key.kid(), payload(p), key.privateKey()))).status(), "the same claims, untouched, pass");
    }

    @Test
    void anExpiredTokenIsRefusedWithItsOwnCode() {
        Person p = hub.people().patient("Late");
        hub.clock().advance(Duration.ofMinutes(11));
        try {
            assertRefused(p.accessToken(), "token_expired");
        } finally {
            hub.clock().advance(Duration.ofMinutes(-11));
        }
    }

    @Test
    void rotationKeepsOldTokensValidAndPublishesBothKeys() {
        Person p = hub.people().patient("Rotate");
        String oldKid = kid(p);
        String newKid = hub.hub().identity().signingKeys().rotate().await();
        assertNotEquals(oldKid, newKid);
        assertEquals(200, p.http().get("/api/v1/me").status(), "a token signed by the previous key still works");
        String jwks = hub.http().get("/.well-known/jwks.json").body();
        assertTrue(jwks.contains(oldKid) && jwks.contains(newKid), jwks);
        assertTrue(!jwks.contains("\"d\""), "no private member is ever published");
        Person q = hub.people().patient("AfterRotation");
        assertEquals(newKid, kid(q));
    }

    /** What an integrator does: check a token with the published JWKS alone, here with the bare JDK. */
    @Test
    void thePublishedJwksVerifiesTheHubsTokens() throws Exception {
        Person p = hub.people().patient("Jwks");
        String[] parts = p.accessToken().split("\\.");
        JsonObject jwks = hub.http().get("/.well-known/jwks.json").json();
        JsonObject jwk = jwks.getJsonArray("keys").stream().map(JsonObject.class::cast)
                .filter(key -> kid(p).equals(key.getString("kid"))).findFirst().orElseThrow();
        assertEquals("EC", jwk.getString("kty"));
        assertEquals("P-256", jwk.getString("crv"));
        AlgorithmParameters curve = AlgorithmParameters.getInstance("EC");
        curve.init(new ECGenParameterSpec("secp256r1"));
        ECPoint point = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("x"))),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("y"))));
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                new ECPublicKeySpec(point, curve.getParameterSpec(ECParameterSpec.class)));
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(key);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])), "the published key verifies the token");
    }

    @Test
    void aMissingOrMalformedAuthorizationIsRefused() {
        Response none = hub.http().get("/api/v1/me");
        assertEquals(401, none.status());
        assertEquals("unauthenticated", none.json().getString("code"));
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"));
        Response basic = hub.http().send("GET", "/api/v1/me", Map.of("Authorization", "Basic Zm9vOmJhcg=="));
        assertEquals(401, basic.status());
        assertRefused("not.a.token", "token_invalid");
        assertRefused("garbage", "token_invalid");
    }

    private static JsonObject payload(Person p) {
        String[] parts = p.accessToken().split("\\.");
        return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    private static String kid(Person p) {
        String[] parts = p.accessToken().split("\\.");
        return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).getString("kid");
    }

    private static String encode(JsonObject json) {
        return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String token, String code) {
        Response response = hub.http().send("GET", "/api/v1/me", Map.of("Authorization", "Bearer " + token));
        assertEquals(401, response.status(), response.body());
        assertEquals(code, response.json().getString("code"));
    }
}

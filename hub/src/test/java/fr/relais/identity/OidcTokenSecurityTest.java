package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.ClockSensitive;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way a forged or stale ID token from an external provider must fail, as {@code AccessTokenSecurityTest} does
 * for the hub's own tokens. Two providers are trusted, so that one's keys cannot vouch for the other.
 */
@ClockSensitive
class OidcTokenSecurityTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final FakeIdentityProvider psc = new FakeIdentityProvider("https://psc.example.test/realms/esante");
    private static final FakeIdentityProvider other = new FakeIdentityProvider("https://other-idp.example.test");

    @RegisterExtension
    static final TestHub hub = other.trustedBy(psc.trustedBy(TestHub.create(), "psc"), "other");
    private static final OidcLogins logins = new OidcLogins(hub);

    @AfterAll
    static void stopProviders() {
        psc.close();
        other.close();
    }

    @Test
    void rs256AndEs256TokensOfTheProviderAreAccepted() {
        String rpps = logins.registeredProfessional();
        assertEquals(200, logins.oidc(psc.rs256(claims(rpps))).status());
        Response es256 = logins.oidc(psc.es256(claims(rpps)));
        assertEquals(200, es256.status(), es256.body());
    }

    @Test
    void algNoneIsRefused() {
        String rpps = logins.registeredProfessional();
        JsonObject none = FakeIdentityProvider.header("none", psc.rsaKid());
        String unsigned = TestJws.unsigned(none, claims(rpps));
        logins.assertRefused(unsigned, "external_token_invalid");
        logins.assertRefused(unsigned.substring(0, unsigned.length() - 1), "external_token_invalid");
        String signature = psc.rs256(claims(rpps)).split("\\.")[2];
        logins.assertRefused(unsigned + signature, "external_token_invalid");
    }

    @Test
    void hmacSignedWithTheProviderPublicKeyIsRefused() {
        String rpps = logins.registeredProfessional();
        JsonObject hs256 = FakeIdentityProvider.header("HS256", psc.rsaKid());
        byte[] der = psc.rsaPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        List<byte[]> publicForms = List.of(
                psc.jwks().encode().getBytes(StandardCharsets.UTF_8),
                psc.jwks().getJsonArray("keys").getJsonObject(0).encode().getBytes(StandardCharsets.UTF_8),
                der, pem.getBytes(StandardCharsets.US_ASCII));
        for (byte[] secret : publicForms) {
            logins.assertRefused(TestJws.hmac(hs256, claims(rpps), secret), "external_token_invalid");
        }
    }

    @Test
    void aForeignKidIsRefusedAndRefetchesTheKeysAtMostEveryFewSeconds() {
        String rpps = logins.registeredProfessional();
        PrivateKey foreign = someRsaKey();
        assertEquals(200, logins.oidc(psc.rs256(claims(rpps))).status(), "the provider's keys are fetched and cached");
        hub.clock().advance(Duration.ofSeconds(6));
        int before = psc.fetches();
        logins.assertRefused(TestJws.sign(FakeIdentityProvider.header("RS256", "foreign-kid"), claims(rpps), foreign),
                "external_token_invalid");
        assertEquals(before + 1, psc.fetches(), "an unknown kid makes the hub fetch the provider's keys again");
        logins.assertRefused(TestJws.sign(FakeIdentityProvider.header("RS256", "foreign-kid-2"), claims(rpps), foreign),
                "external_token_invalid");
        assertEquals(before + 1, psc.fetches(), "but not again within a few seconds");
        hub.clock().advance(Duration.ofSeconds(4));
        logins.assertRefused(TestJws.sign(FakeIdentityProvider.header("RS256", "foreign-kid-3"), claims(rpps), foreign),
                "external_token_invalid");
        assertEquals(before + 1, psc.fetches(), "4 s later, still not");
        hub.clock().advance(Duration.ofSeconds(2));
        logins.assertRefused(TestJws.sign(FakeIdentityProvider.header("RS256", "foreign-kid-4"), claims(rpps), foreign),
                "external_token_invalid");
        assertEquals(before + 2, psc.fetches(), "6 s after the last fetch, again");
        logins.assertRefused(TestJws.sign(FakeIdentityProvider.header("RS256", psc.rsaKid()), claims(rpps), foreign),
                "external_token_invalid");
    }

    @Test
    void expiryAndNotBeforeAllowTheClockSkewAndNoMore() {
        String rpps = logins.registeredProfessional();
        long now = hub.clock().instant().getEpochSecond();
        assertEquals(200, logins.oidc(psc.rs256(claims(rpps).put("exp", now - 20))).status(), "expired within the 30 s skew");
        logins.assertRefused(psc.rs256(claims(rpps).put("exp", now - 31)), "external_token_invalid");
        assertEquals(200, logins.oidc(psc.rs256(claims(rpps).put("nbf", now + 20))).status(), "not yet valid within the skew");
        logins.assertRefused(psc.rs256(claims(rpps).put("nbf", now + 31)), "external_token_invalid");
        JsonObject noExpiry = claims(rpps);
        noExpiry.remove("exp");
        logins.assertRefused(psc.rs256(noExpiry), "external_token_invalid");
    }

    @Test
    void wrongIssuerOrAudienceIsRefusedEvenWhenSignedByTheProvider() {
        String rpps = logins.registeredProfessional();
        logins.assertRefused(psc.rs256(claims(rpps).put("aud", new JsonArray().add("another-app"))), "external_token_invalid");
        JsonObject noAudience = claims(rpps);
        noAudience.remove("aud");
        logins.assertRefused(psc.rs256(noAudience), "external_token_invalid");
        JsonObject noIssuer = claims(rpps);
        noIssuer.remove("iss");
        logins.assertRefused(psc.rs256(noIssuer), "external_token_invalid");
        logins.assertRefused(other.rs256(claims(rpps)), "external_token_invalid");
        logins.assertRefused(psc.rs256(claims(rpps).put("iss", other.issuer())), "external_token_invalid");
        assertEquals(200, logins.oidc(psc.rs256(claims(rpps).put("aud", new JsonArray().add("another-app").add("relais")))).status(),
                "an audience list that names us passes");
    }

    @Test
    void aProviderPublishingNoUsableKeyAcceptsNothingUntilItDoes() {
        String rpps = logins.registeredProfessional();
        byte[] secret = "a shared secret the provider should never have published".getBytes(StandardCharsets.UTF_8);
        other.serve(new JsonObject().put("keys", new JsonArray()
                .add(new JsonObject().put("kty", "oct").put("alg", "HS256").put("kid", "mac").put("k", B64.encodeToString(secret)))
                .add(new JsonObject().put("kty", "RSA").put("use", "enc").put("kid", "enc")
                        .put("n", B64.encodeToString(other.rsaPublicKey().getModulus().toByteArray()))
                        .put("e", "AQAB"))));
        try {
            hub.clock().advance(Duration.ofSeconds(6));
            JsonObject claims = other.claims(rpps, hub.clock().instant());
            String unknownKid = TestJws.sign(FakeIdentityProvider.header("RS256", "not-published"), claims, someRsaKey());
            logins.assertRefused(unknownKid, "external_token_invalid"); // makes the hub fetch the keys served now
            logins.assertRefused(other.rs256(claims), "external_token_invalid");
            logins.assertRefused(TestJws.unsigned(FakeIdentityProvider.header("none", "mac"), claims), "external_token_invalid");
            String twoParts = TestJws.unsigned(FakeIdentityProvider.header("none", "mac"), claims);
            logins.assertRefused(twoParts.substring(0, twoParts.length() - 1), "external_token_invalid");
            logins.assertRefused(TestJws.hmac(FakeIdentityProvider.header("HS256", "mac"), claims, secret), "external_token_invalid");
        } finally {
            other.serve(null);
        }
        hub.clock().advance(Duration.ofSeconds(6));
        Response again = logins.oidc(other.rs256(other.claims(rpps, hub.clock().instant())));
        assertEquals(200, again.status(), "keys published again are fetched again: " + again.body());
    }

    /** ECDSA signatures can be rewritten without the key ((r, n-s), or in DER): the claims are still used once. */
    @Test
    void anEs256TokenReplayedWithItsSignatureRewrittenOpensNoSecondSession() {
        String rpps = logins.registeredProfessional();
        String token = psc.es256(claims(rpps));
        assertEquals(200, logins.oidc(token).status());
        String[] parts = token.split("\\.");
        byte[] signature = B64D.decode(parts[2]);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        String input = parts[0] + "." + parts[1] + ".";
        for (String rewritten : List.of(input + B64.encodeToString(der(r, s)),
                input + B64.encodeToString(p1363(r, P256_ORDER.subtract(s))))) {
            Response replay = logins.oidc(rewritten);
            assertEquals(401, replay.status(), replay.body());
            assertTrue(Set.of("token_replayed", "external_token_invalid").contains(replay.json().getString("code")), replay.body());
        }
    }

    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private static byte[] p1363(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        copyRight(r.toByteArray(), out, 0);
        copyRight(s.toByteArray(), out, 32);
        return out;
    }

    private static void copyRight(byte[] value, byte[] out, int offset) {
        int length = Math.min(value.length, 32);
        System.arraycopy(value, value.length - length, out, offset + 32 - length, length);
    }

    /** The same signature as an ASN.1 DER SEQUENCE of two INTEGERs, the JCA's own form. */
    private static byte[] der(BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.write(4 + rb.length + sb.length);
        out.write(0x02);
        out.write(rb.length);
        out.writeBytes(rb);
        out.write(0x02);
        out.write(sb.length);
        out.writeBytes(sb);
        return out.toByteArray();
    }

    private static PrivateKey someRsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject claims(String rpps) {
        return psc.claims(rpps, hub.clock().instant());
    }
}

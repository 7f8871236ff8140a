package fr.relais.identity;

import fr.relais.testing.TestHub;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenID Connect provider for tests: serves its JWKS (an RSA key for RS256, an EC P-256 key for ES256) over
 * HTTP on loopback, counts the fetches, and signs ID tokens with its keys, independently of the hub's library.
 */
public final class FakeIdentityProvider {
    public static final String AUDIENCE = "relais";
    public static final String RPPS_CLAIM = "SubjectNameID";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final Vertx vertx = Vertx.vertx();
    private final AtomicReference<KeyPair> rsa = new AtomicReference<>(generate("RSA"));
    private final AtomicReference<String> rsaKid = new AtomicReference<>("rsa-1");
    private final KeyPair ec = generate("EC");
    private final AtomicReference<JsonObject> served = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final HttpServer server;

    public FakeIdentityProvider(String issuer) {
        this.issuer = issuer;
        this.server = vertx.createHttpServer()
                .requestHandler(req -> {
                    fetches.incrementAndGet();
                    req.response().putHeader("Content-Type", "application/json").end(jwks().encode());
                })
                .listen(0, "127.0.0.1").await();
    }

    /** {@code hub} set to trust this provider under {@code name}. */
    public TestHub trustedBy(TestHub hub, String name) {
        String base = "auth.oidc.issuers." + name + ".";
        return hub.with(base + "issuer", issuer)
                .with(base + "jwksUrl", "http://127.0.0.1:" + server.actualPort() + "/certs")
                .with(base + "audience", AUDIENCE)
                .with(base + "rppsClaim", RPPS_CLAIM);
    }

    public String issuer() {
        return issuer;
    }

    /** Valid claims for {@code rpps}, issued at {@code now} for five minutes. */
    public JsonObject claims(String rpps, Instant now) {
        return new JsonObject().put("iss", issuer).put("aud", AUDIENCE).put("sub", "f:550dc1c8:" + rpps)
                .put(RPPS_CLAIM, rpps).put("iat", now.getEpochSecond()).put("exp", now.getEpochSecond() + 300);
    }

    public String rs256(JsonObject claims) {
        return TestJws.sign(header("RS256", rsaKid.get()), claims, rsa.get().getPrivate());
    }

    public String es256(JsonObject claims) {
        return TestJws.sign(header("ES256", "ec-1"), claims, ec.getPrivate());
    }

    public static JsonObject header(String alg, String kid) {
        return new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", kid);
    }

    public String rsaKid() {
        return rsaKid.get();
    }

    public RSAPublicKey rsaPublicKey() {
        return (RSAPublicKey) rsa.get().getPublic();
    }

    /** A new RSA key under a new kid, published in place of the old one. */
    public void rotate() {
        rsa.set(generate("RSA"));
        rsaKid.set("rsa-" + System.nanoTime());
    }

    /** Serves {@code document} as the JWKS from now on; null serves the provider's own keys again. */
    public void serve(JsonObject document) {
        served.set(document);
    }

    public int fetches() {
        return fetches.get();
    }

    /** The JWKS document served now. */
    public JsonObject jwks() {
        JsonObject document = served.get();
        if (document != null) {
            return document;
        }
        RSAPublicKey rsaKey = rsaPublicKey();
        ECPublicKey ecKey = (ECPublicKey) ec.getPublic();
        return new JsonObject().put("keys", new JsonArray()
                .add(new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig").put("kid", rsaKid.get())
                        .put("n", unsigned(rsaKey.getModulus())).put("e", unsigned(rsaKey.getPublicExponent())))
                .add(new JsonObject().put("kty", "EC").put("crv", "P-256").put("alg", "ES256").put("use", "sig").put("kid", "ec-1")
                        .put("x", unsigned(ecKey.getW().getAffineX())).put("y", unsigned(ecKey.getW().getAffineY()))));
    }

    public void close() {
        vertx.close().await();
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return B64.encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

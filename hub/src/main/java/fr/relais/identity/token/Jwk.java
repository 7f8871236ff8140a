package fr.relais.identity.token;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;

/**
 * The published form (RFC 7517) of a new signing key's public half. Vert.x Auth reads JWKs but has no way to write
 * one, so this encoding stays here; everything that reads a JWK back (verifying, the JWKS clients fetch) is the
 * library's.
 */
final class Jwk {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Jwk() {
    }

    static JsonObject ofEc(String kid, ECPublicKey key) {
        return new JsonObject()
                .put("kty", "EC").put("crv", "P-256").put("use", "sig").put("alg", "ES256").put("kid", kid)
                .put("x", B64.encodeToString(unsigned(key.getW().getAffineX(), 32)))
                .put("y", B64.encodeToString(unsigned(key.getW().getAffineY(), 32)));
    }

    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }
}

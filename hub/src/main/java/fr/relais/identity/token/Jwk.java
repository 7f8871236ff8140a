package fr.relais.identity.token;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/** Public keys to and from JSON Web Keys (RFC 7517): EC P-256 and RSA. */
public final class Jwk {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private Jwk() {
    }

    public static JsonObject ofEc(String kid, ECPublicKey key) {
        return new JsonObject()
                .put("kty", "EC").put("crv", "P-256").put("use", "sig").put("alg", "ES256").put("kid", kid)
                .put("x", B64.encodeToString(unsigned(key.getW().getAffineX(), 32)))
                .put("y", B64.encodeToString(unsigned(key.getW().getAffineY(), 32)));
    }

    /** The public key of an EC P-256 or RSA JWK; fails on anything else. */
    public static PublicKey toPublicKey(JsonObject jwk) throws GeneralSecurityException {
        String kty = jwk.getString("kty", "");
        switch (kty) {
            case "EC" -> {
                if (!"P-256".equals(jwk.getString("crv"))) {
                    throw new GeneralSecurityException("unsupported curve " + jwk.getString("crv"));
                }
                ECPoint point = new ECPoint(positive(jwk.getString("x")), positive(jwk.getString("y")));
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, p256()));
            }
            case "RSA" -> {
                return KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(positive(jwk.getString("n")), positive(jwk.getString("e"))));
            }
            default -> throw new GeneralSecurityException("unsupported key type " + kty);
        }
    }

    static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        return params.getParameterSpec(ECParameterSpec.class);
    }

    private static BigInteger positive(String base64url) {
        if (base64url == null) {
            throw new IllegalArgumentException("missing key member");
        }
        return new BigInteger(1, B64D.decode(base64url));
    }

    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }
}

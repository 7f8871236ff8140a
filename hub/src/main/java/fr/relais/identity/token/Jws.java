package fr.relais.identity.token;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;

/**
 * A compact JWS (header.payload.signature) taken apart, and signatures made or checked for the only algorithms
 * Relais accepts: ES256 (its own tokens and external ones) and RS256 (external identity providers).
 * "none" and the HMAC algorithms are never accepted, so a public key can never be used as an HMAC secret.
 */
public record Jws(JsonObject header, JsonObject payload, byte[] signingInput, byte[] signature) {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** Parses a compact JWS; empty if it is not one. */
    public static Optional<Jws> parse(String token) {
        if (token == null || token.length() > 16_384) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[2].isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonObject header = new JsonObject(new String(B64D.decode(parts[0]), StandardCharsets.UTF_8));
            JsonObject payload = new JsonObject(new String(B64D.decode(parts[1]), StandardCharsets.UTF_8));
            byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            return Optional.of(new Jws(header, payload, input, B64D.decode(parts[2])));
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            return Optional.empty();
        }
    }

    public String algorithm() {
        return header.getValue("alg") instanceof String alg ? alg : "";
    }

    public Optional<String> keyId() {
        return header.getValue("kid") instanceof String kid ? Optional.of(kid) : Optional.empty();
    }

    /** Whether the signature is valid for this key under the header's algorithm (ES256 or RS256 only). */
    public boolean verifiedBy(PublicKey key) {
        String jca = switch (algorithm()) {
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "RS256" -> "SHA256withRSA";
            default -> null;
        };
        if (jca == null || !key.getAlgorithm().equals(algorithm().startsWith("ES") ? "EC" : "RSA")) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(jca);
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Signs {@code payload} with ES256 under {@code kid}. */
    public static String signEs256(String kid, JsonObject payload, PrivateKey key) {
        JsonObject header = new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", kid);
        String input = B64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(key);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with ES256", e);
        }
    }
}

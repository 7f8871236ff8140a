package fr.relais.identity;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact JWS made by hand with the JDK, as an attacker or an outside provider would make them: independent of the
 * library the hub verifies with, and free to write what no library would sign ("none", a public key as HMAC secret).
 */
public final class TestJws {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private TestJws() {
    }

    /** Signed with {@code key} under the header's {@code alg}: ES256 or RS256. */
    public static String sign(JsonObject header, JsonObject payload, PrivateKey key) {
        String input = input(header, payload);
        String jca = switch (header.getString("alg")) {
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "RS256" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException(header.getString("alg"));
        };
        try {
            Signature signer = Signature.getInstance(jca);
            signer.initSign(key);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String es256(String kid, JsonObject payload, PrivateKey key) {
        return sign(new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", kid), payload, key);
    }

    /** HMAC-SHA256 with {@code secret}, whatever the header says. */
    public static String hmac(JsonObject header, JsonObject payload, byte[] secret) {
        String input = input(header, payload);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** header.payload. with no signature at all. */
    public static String unsigned(JsonObject header, JsonObject payload) {
        return input(header, payload) + ".";
    }

    public static JsonObject header(String token) {
        return part(token, 0);
    }

    public static JsonObject payload(String token) {
        return part(token, 1);
    }

    public static String encode(JsonObject json) {
        return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
    }

    private static String input(JsonObject header, JsonObject payload) {
        return encode(header) + "." + encode(payload);
    }

    private static JsonObject part(String token, int index) {
        return new JsonObject(new String(B64D.decode(token.split("\\.")[index]), StandardCharsets.UTF_8));
    }
}

package fr.relais.webhook;

import fr.relais.secrets.Sealer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook's secrets and signatures. A secret is {@code whsec_} and 32 random bytes (base64url), shown to the
 * system once and kept sealed. Each delivery carries {@code Relais-Signature: t=<unix seconds>,v1=<hex>}, the
 * HMAC-SHA256 under the secret (its UTF-8 bytes) of {@code t + "." + body}; while a rotated secret still signs,
 * a second {@code v1} under it follows. A receiver recomputes it and refuses a {@code t} too old (a replay).
 */
final class WebhookSigner {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Sealer sealer;

    WebhookSigner(Sealer sealer) {
        this.sealer = sealer;
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String keyId() {
        return sealer.keyId();
    }

    byte[] seal(UUID system, String secret) {
        return sealer.seal(secret, context(system));
    }

    String open(UUID system, byte[] sealed, String keyId) {
        return sealer.openText(sealed, keyId, context(system));
    }

    /** The header's value for {@code body} sent at {@code at}, under each secret given (the current one first). */
    static String signature(Instant at, String body, String... secrets) {
        long t = at.getEpochSecond();
        StringBuilder header = new StringBuilder("t=").append(t);
        for (String secret : secrets) {
            header.append(",v1=").append(hmac(secret, t + "." + body));
        }
        return header.toString();
    }

    static String hmac(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JVM", e);
        }
    }

    private static String context(UUID system) {
        return "webhook-secret:" + system;
    }
}

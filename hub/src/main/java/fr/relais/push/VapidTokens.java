package fr.relais.push;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The VAPID token (RFC 8292 §2): a JWT signed ES256 with the hub's VAPID key, for the push service's origin
 * ({@code aud}), naming whom to contact ({@code sub}), valid 12 hours (at most 24 are allowed). Written here rather
 * than by the library, which dates its tokens by the machine's clock where the hub's rules read the hub's clock.
 */
final class VapidTokens {
    private static final Duration LIFETIME = Duration.ofHours(12);
    private static final String HEADER = encode("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));

    private final ECPrivateKey key;
    private final String subject;
    private final Clock clock;

    VapidTokens(ECPrivateKey key, String subject, Clock clock) {
        this.key = key;
        this.subject = subject;
        this.clock = clock;
    }

    /** A token for the push service of {@code endpoint}. */
    String token(URI endpoint) {
        String audience = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        JsonObject claims = new JsonObject().put("aud", audience)
                .put("exp", clock.instant().plus(LIFETIME).getEpochSecond()).put("sub", subject);
        String signed = HEADER + "." + encode(claims.encode().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(key);
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + encode(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 is unavailable", e);
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

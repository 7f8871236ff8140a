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

    /** A token signed, and when it stops being handed out (an hour before it expires). */
    private record Signed(String token, java.time.Instant renewAfter) {
    }

    /** One token per push service, signed again an hour before it expires: an ES256 signature is not free. */
    private final java.util.Map<String, Signed> signed = new java.util.concurrent.ConcurrentHashMap<>();

    /** A token for the push service of {@code endpoint}. */
    String token(URI endpoint) {
        String audience = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        java.time.Instant now = clock.instant();
        Signed cached = signed.get(audience);
        if (cached != null && now.isBefore(cached.renewAfter()) && !now.isBefore(cached.renewAfter().minus(LIFETIME))) {
            return cached.token();
        }
        if (signed.size() > 10_000) {
            signed.clear(); // push services are few; a flood of audiences must not grow memory
        }
        String token = sign(audience, now);
        signed.put(audience, new Signed(token, now.plus(LIFETIME).minus(Duration.ofHours(1))));
        return token;
    }

    private String sign(String audience, java.time.Instant now) {
        JsonObject claims = new JsonObject().put("aud", audience)
                .put("exp", now.plus(LIFETIME).getEpochSecond()).put("sub", subject);
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

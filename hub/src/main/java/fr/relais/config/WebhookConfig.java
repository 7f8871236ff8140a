package fr.relais.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How systems' events reach their webhooks: how often the dispatcher looks, the retries (doubling from
 * {@code firstRetry} up to {@code maxRetry}, {@code maxAttempts} in all before the dead-letter list), the time a
 * receiver has to answer, how long a rotated secret still signs, and which endpoints are allowed (HTTPS only,
 * public addresses only, the JVM's CAs or {@code trustedCertificates}), unless the operator opens them up.
 */
public record WebhookConfig(Duration dispatchEvery, Duration timeout, int maxAttempts, Duration firstRetry, Duration maxRetry,
                            Duration secretOverlap, boolean allowHttp, boolean allowPrivateAddresses,
                            Optional<Path> trustedCertificates) {

    static WebhookConfig from(Settings s) {
        Duration first = s.duration("webhooks.firstRetry", Duration.ofMillis(10), Duration.ofHours(1));
        Duration max = s.duration("webhooks.maxRetry", Duration.ofMillis(10), Duration.ofDays(1));
        if (max.compareTo(first) < 0) {
            throw s.invalid("webhooks.maxRetry", "must be at least webhooks.firstRetry");
        }
        return new WebhookConfig(s.duration("webhooks.dispatchEvery", Duration.ofMillis(50), Duration.ofMinutes(10)),
                s.duration("webhooks.timeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
                s.integer("webhooks.maxAttempts", 1, 1000), first, max,
                s.duration("webhooks.secretOverlap", Duration.ZERO, Duration.ofDays(30)),
                s.bool("webhooks.allowHttp"), s.bool("webhooks.allowPrivateAddresses"),
                s.optionalPath("webhooks.trustedCertificates"));
    }

    /** The wait before attempt {@code failed + 1}: doubling from the first retry, capped. */
    public Duration retryAfter(int failed) {
        Duration wait = firstRetry.multipliedBy(1L << Math.min(30, Math.max(0, failed - 1)));
        return wait.compareTo(maxRetry) > 0 ? maxRetry : wait;
    }
}

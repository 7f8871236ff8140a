package fr.relais.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Web Push to the installed portal: whether it is offered, the VAPID {@code sub} that tells push services whom to
 * contact ({@code mailto:} or {@code https:}), how long a push service keeps a message for an offline device
 * ({@code TTL}), the time it has to answer, and which endpoints are allowed (HTTPS only, public addresses only, the
 * JVM's CAs or {@code trustedCertificates}), as for webhooks, unless the operator opens them up; and the pace of
 * the push part of the outbox.
 */
public record PushConfig(boolean enabled, String subject, Duration ttl, Duration timeout, boolean allowHttp,
                         boolean allowPrivateAddresses, Optional<Path> trustedCertificates, Duration dispatchEvery, int batchSize,
                         Duration lease, int maxAttempts) {

    static PushConfig from(Settings s) {
        String subject = s.nonBlank("push.subject");
        if (!subject.startsWith("mailto:") && !subject.startsWith("https://") || subject.length() > 200) {
            throw s.invalid("push.subject", "must be a mailto: or https:// address of whoever runs this hub");
        }
        return new PushConfig(s.bool("push.enabled"), subject,
                s.duration("push.ttl", Duration.ZERO, Duration.ofDays(28)),
                s.duration("push.timeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
                s.bool("push.allowHttp"), s.bool("push.allowPrivateAddresses"), s.optionalPath("push.trustedCertificates"),
                s.duration("push.dispatchEvery", Duration.ofMillis(50), Duration.ofMinutes(10)),
                s.integer("push.batchSize", 1, 10_000),
                s.duration("push.lease", Duration.ofSeconds(5), Duration.ofHours(1)),
                s.integer("push.maxAttempts", 1, 100));
    }
}

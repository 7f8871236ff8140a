package fr.relais.config;

import java.time.Duration;

/** Limits of secure messaging, the key that seals new messages, and how long conversations are kept. */
public record MessagingConfig(String keyId, int maxBodyLength, int maxSubjectLength, int maxAttachmentSize,
                              int maxAttachments, int maxParticipants, Duration retention) {

    static MessagingConfig from(Settings s) {
        String keyId = s.nonBlank("messaging.keyId");
        if (!keyId.matches("[A-Za-z0-9_-]{1,32}")) {
            throw s.invalid("messaging.keyId", "must be 1 to 32 letters, digits, '-' or '_'");
        }
        return new MessagingConfig(keyId,
                s.integer("messaging.maxBodyLength", 1, 1_000_000),
                s.integer("messaging.maxSubjectLength", 1, 10_000),
                (int) s.bytes("messaging.maxAttachmentSize", 1024, 100L << 20),
                s.integer("messaging.maxAttachments", 0, 100),
                s.integer("messaging.maxParticipants", 2, 10_000),
                s.duration("messaging.retention", Duration.ofDays(1), Duration.ofDays(36500)));
    }
}

package fr.relais.config;

import java.nio.file.Path;

/** How emails leave the hub: as files (development) or through an SMTP server. */
public record MailConfig(Transport transport, Path dir, String host, int port, Tls tls, String username,
                         String password, String from, java.time.Duration dispatchEvery, int batchSize,
                         java.time.Duration lease, int maxAttempts) {

    public enum Transport { FILE, SMTP }

    public enum Tls { NONE, STARTTLS, TLS }

    static MailConfig from(Settings s) {
        return new MailConfig(
                s.oneOf("mail.transport", Transport.class),
                java.nio.file.Path.of(s.nonBlank("mail.dir")),
                s.nonBlank("mail.host"),
                s.integer("mail.port", 1, 65535),
                s.oneOf("mail.tls", Tls.class),
                s.string("mail.username"),
                s.string("mail.password"),
                s.nonBlank("mail.from"),
                s.duration("mail.dispatchEvery", java.time.Duration.ofMillis(50), java.time.Duration.ofMinutes(10)),
                s.integer("mail.batchSize", 1, 10_000),
                s.duration("mail.lease", java.time.Duration.ofSeconds(5), java.time.Duration.ofHours(1)),
                s.integer("mail.maxAttempts", 1, 100));
    }
}

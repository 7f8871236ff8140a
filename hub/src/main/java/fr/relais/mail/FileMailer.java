package fr.relais.mail;

import fr.relais.config.MailConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * For development without an SMTP server: writes each email as an RFC 5322 {@code .eml} file (mode 0600) in
 * {@code mail.dir}, readable with any mail program. Never for production: set {@code mail.transport: smtp}.
 */
final class FileMailer implements Mailer {
    private final Vertx vertx;
    private final Path dir;
    private final String from;

    FileMailer(Vertx vertx, MailConfig config) {
        this.vertx = vertx;
        this.dir = config.dir();
        this.from = config.from();
    }

    @Override
    public Future<Void> send(Email email, String messageId) {
        return vertx.executeBlocking(() -> {
            Files.createDirectories(dir);
            String name = Instant.now().toString().replace(':', '-') + "-" + UUID.randomUUID() + ".eml";
            Path file = Files.createFile(dir.resolve(name),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, render(email), StandardCharsets.UTF_8);
            return null;
        });
    }

    private String render(Email email) {
        String boundary = "relais-" + UUID.randomUUID();
        return "Message-ID: <" + UUID.randomUUID() + "@relais>\r\n"
                + "From: " + from + "\r\n"
                + "To: " + email.to() + "\r\n"
                + "Subject: =?UTF-8?B?" + Base64.getEncoder().encodeToString(email.subject().getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + email.text() + "\r\n"
                + "--" + boundary + "\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + email.html() + "\r\n"
                + "--" + boundary + "--\r\n";
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }
}

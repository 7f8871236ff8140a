package fr.relais.mail;

import fr.relais.config.MailConfig;
import fr.relais.files.PrivateFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.mailencoder.MailEncoder;
import java.nio.file.Path;
import java.time.Instant;
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
            // encoded as the SMTP client encodes it (MIME, quoted-printable parts with their transfer encoding)
            PrivateFiles.writeWhole(dir, Instant.now().toString().replace(':', '-') + "-" + UUID.randomUUID() + ".eml",
                    new MailEncoder(email.message(from, messageId), "relais").encode());
            return null;
        });
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }
}

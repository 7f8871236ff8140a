package fr.relais.mail;

import fr.relais.config.MailConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.mailencoder.MailEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
            Files.createDirectories(dir);
            String name = Instant.now().toString().replace(':', '-') + "-" + UUID.randomUUID() + ".eml";
            // written under a hidden name, then renamed: whoever watches the folder for .eml files sees only whole ones
            Path partial = Files.createFile(dir.resolve("." + name + ".part"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // encoded as the SMTP client encodes it (MIME, quoted-printable parts with their transfer encoding)
            Files.writeString(partial, new MailEncoder(email.message(from, messageId), "relais").encode(), StandardCharsets.UTF_8);
            Files.move(partial, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return null;
        });
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }
}

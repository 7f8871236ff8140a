package fr.relais.sms;

import fr.relais.config.SmsConfig;
import fr.relais.files.PrivateFiles;
import fr.relais.outbox.Delivery;
import fr.relais.outbox.Transport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;

/**
 * For development without an SMS provider: writes each SMS as a {@code .txt} file (mode 0600) in {@code sms.dir},
 * with {@code To:} and {@code From:} lines, a blank line, then the text. Never for production: set
 * {@code sms.transport: smpp}.
 */
final class FileSmsTransport implements Transport {
    private final Vertx vertx;
    private final Path dir;
    private final String sender;

    FileSmsTransport(Vertx vertx, SmsConfig config) {
        this.vertx = vertx;
        this.dir = config.dir();
        this.sender = config.sender();
    }

    @Override
    public Future<Void> send(Delivery delivery) {
        return vertx.executeBlocking(() -> {
            PrivateFiles.writeWhole(dir, Instant.now().toString().replace(':', '-') + "-" + delivery.messageId() + ".txt",
                    "To: " + delivery.address() + "\nFrom: " + sender + "\n\n" + delivery.content().getString("text") + "\n");
            return null;
        });
    }
}

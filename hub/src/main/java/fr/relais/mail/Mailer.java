package fr.relais.mail;

import fr.relais.config.MailConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Sends emails now. Security emails (login codes, activation) use it directly; notifications go through the outbox. */
public interface Mailer {

    /** Fails with a {@code mail_unavailable} ApiError (503) when the email could not be handed over. */
    Future<Void> send(Email email);

    Future<Void> close();

    static Mailer create(Vertx vertx, MailConfig config) {
        return config.transport() == MailConfig.Transport.SMTP
                ? new SmtpMailer(vertx, config)
                : new FileMailer(vertx, config);
    }
}

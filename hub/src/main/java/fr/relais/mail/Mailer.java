package fr.relais.mail;

import fr.relais.config.MailConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Hands one email to the mail system now. Only the outbox dispatcher calls it: every email goes through the outbox. */
public interface Mailer {

    /** Fails with the transport's own error when the email could not be handed over (see {@link SmtpFailures}). */
    Future<Void> send(Email email, String messageId);

    Future<Void> close();

    static Mailer create(Vertx vertx, MailConfig config) {
        return config.transport() == MailConfig.Transport.SMTP
                ? new SmtpMailer(vertx, config)
                : new FileMailer(vertx, config);
    }
}

package fr.relais.mail;

import fr.relais.outbox.Delivery;
import fr.relais.outbox.Transport;
import io.vertx.core.Future;

/** The email channel of the outbox: each item handed to the mailer (SMTP, or files in development). */
public final class EmailTransport implements Transport {
    private final Mailer mailer;

    public EmailTransport(Mailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public Future<Void> send(Delivery delivery) {
        return mailer.send(Email.of(delivery.address(), delivery.content()), delivery.messageId());
    }

    /** SMTP 5xx replies are permanent. */
    @Override
    public boolean permanent(Throwable failure) {
        return SmtpFailures.permanent(failure);
    }

    @Override
    public Future<Void> close() {
        return mailer.close();
    }
}

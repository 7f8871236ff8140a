package fr.relais.mail;

import fr.relais.config.MailConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;

/** Hands emails to an SMTP server through a pooled Vert.x mail client. */
final class SmtpMailer implements Mailer {
    private final MailClient client;
    private final String from;

    SmtpMailer(Vertx vertx, MailConfig config) {
        io.vertx.ext.mail.MailConfig smtp = new io.vertx.ext.mail.MailConfig()
                .setHostname(config.host())
                .setPort(config.port())
                .setSsl(config.tls() == MailConfig.Tls.TLS)
                .setStarttls(config.tls() == MailConfig.Tls.STARTTLS ? StartTLSOptions.REQUIRED : StartTLSOptions.DISABLED)
                .setMaxPoolSize(8)
                .setKeepAlive(true)
                .setConnectTimeout((int) Duration.ofSeconds(10).toMillis())
                // a server that stops answering mid-exchange fails the attempt (retried later) instead of holding it
                .setIdleTimeout(60).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
        if (!config.username().isEmpty()) {
            smtp.setUsername(config.username()).setPassword(config.password()).setLogin(LoginOption.REQUIRED);
        } else {
            smtp.setLogin(LoginOption.DISABLED);
        }
        this.client = MailClient.createShared(vertx, smtp, "relais-smtp");
        this.from = config.from();
    }

    @Override
    public Future<Void> send(Email email, String messageId) {
        return client.sendMail(email.message(from, messageId)).mapEmpty();
    }

    @Override
    public Future<Void> close() {
        return client.close();
    }
}

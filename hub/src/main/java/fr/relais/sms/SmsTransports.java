package fr.relais.sms;

import fr.relais.config.SmsConfig;
import fr.relais.outbox.Transport;
import io.vertx.core.Vertx;

/** The SMS channel of the outbox, as configured: files in development, an SMS centre over SMPP in production. */
public final class SmsTransports {
    private SmsTransports() {
    }

    public static Transport create(Vertx vertx, SmsConfig config) {
        return config.transport() == SmsConfig.Transport.SMPP ? new SmppTransport(vertx, config) : new FileSmsTransport(vertx, config);
    }
}

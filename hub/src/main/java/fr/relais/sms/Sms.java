package fr.relais.sms;

import fr.relais.outbox.Channel;
import fr.relais.outbox.Outgoing;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** One text message to one number (E.164): a code, never health data. */
public record Sms(String to, String text) {

    /** The message as an item of the outbox: sent from {@code notBefore} on, and never after {@code expiresAt}. */
    public Outgoing outgoing(String dedupKey, UUID recipient, String category, int priority, Instant notBefore,
                             Instant expiresAt) {
        return Outgoing.of(Channel.SMS, dedupKey, recipient, to, category, priority, new JsonObject().put("text", text), notBefore)
                .expiringAt(expiresAt);
    }
}

package fr.relais.outbox;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * One item to send through one channel. {@code dedupKey} makes it one item whatever the retries and nodes;
 * {@code content} is sealed in the outbox and handed to the channel's {@link Transport}; {@code upToOffset} (digests)
 * is the stream offset it covers, re-checked before sending; past {@code expiresAt} (a code) it is not sent at all;
 * with {@code unlessSent}, it is a fallback, not sent if an item of that channel to the same person covering at least
 * the same offset was sent.
 */
public record Outgoing(Channel channel, String dedupKey, UUID recipient, String address, String category, int priority,
                       JsonObject content, Long upToOffset, Instant notBefore, Instant expiresAt, Channel unlessSent) {

    /** An item to send from {@code notBefore} on, with no offset and no expiry. */
    public static Outgoing of(Channel channel, String dedupKey, UUID recipient, String address, String category,
                              int priority, JsonObject content, Instant notBefore) {
        return new Outgoing(channel, dedupKey, recipient, address, category, priority, content, null, notBefore, null, null);
    }

    public Outgoing covering(long offset) {
        return new Outgoing(channel, dedupKey, recipient, address, category, priority, content, offset, notBefore, expiresAt,
                unlessSent);
    }

    public Outgoing expiringAt(Instant expiry) {
        return new Outgoing(channel, dedupKey, recipient, address, category, priority, content, upToOffset, notBefore, expiry,
                unlessSent);
    }

    /** The same item as a fallback: not sent if an item of {@code other} covering its offset reached the person. */
    public Outgoing unlessSentBy(Channel other) {
        return new Outgoing(channel, dedupKey, recipient, address, category, priority, content, upToOffset, notBefore, expiresAt,
                other);
    }
}

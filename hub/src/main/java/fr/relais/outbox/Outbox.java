package fr.relais.outbox;

import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where everything that leaves the hub for a person starts, whatever the channel (email, SMS, push): a row of
 * {@code outbox}, written in the caller's transaction, its content sealed, with a unique key so that a notification
 * is one item whatever the retries. Each channel has its {@link OutboxDispatcher}. Security items (priority 0) go
 * first, and wake their channel's dispatcher at once after the commit ({@link #kick}).
 */
public final class Outbox {
    public static final int SECURITY = 0;
    public static final int NOTIFICATION = 1;
    /** Codes a person asked for to prove something (a phone number): after the login codes. */
    public static final int REQUESTED = 1;

    /** The states of an item: {@code skipped} was not sent and needs not be (read meanwhile, expired, address gone). */
    public static final List<String> STATUSES = List.of("pending", "sending", "sent", "dead", "skipped");

    private final Vertx vertx;
    private final Sealer sealer;

    public Outbox(Vertx vertx, Sealer sealer) {
        this.vertx = vertx;
        this.sealer = sealer;
    }

    /** Event-bus address that wakes the dispatchers of {@code channel} now. */
    public static String kickAddress(Channel channel) {
        return "relais.outbox.kick." + channel.wireName();
    }

    /** Adds an item; nothing happens if its {@code dedupKey} was already used. Returns whether it was added. */
    public Future<Boolean> enqueue(SqlClient tx, Outgoing item) {
        UUID id = UUID.randomUUID();
        return tx.preparedQuery("""
                        INSERT INTO outbox (id, channel, dedup_key, recipient_id, address, category, priority, content_sealed,
                                            key_id, up_to_offset, not_before, expires_at, unless_sent)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (dedup_key) DO NOTHING""")
                .execute(Tuple.tuple().addUUID(id).addString(item.channel().wireName()).addString(item.dedupKey())
                        .addUUID(item.recipient()).addString(item.address()).addString(item.category())
                        .addShort((short) item.priority())
                        .addBuffer(Buffer.buffer(sealer.seal(item.content().encode(), aad(item.channel(), id)))).addString(sealer.keyId())
                        .addLong(item.upToOffset()).addOffsetDateTime(utc(item.notBefore()))
                        .addOffsetDateTime(item.expiresAt() == null ? null : utc(item.expiresAt()))
                        .addString(item.unlessSent() == null ? null : item.unlessSent().wireName()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Marks skipped ("superseded") the items of {@code channel} and {@code category} to {@code recipient} that wait to
     * be sent, as a newer one replaces them (it counts what they counted and more); returns the earliest time one of
     * them was to leave, so that the newer one leaves no later.
     */
    public static Future<java.util.Optional<Instant>> supersede(SqlClient tx, Channel channel, UUID recipient, String category) {
        return tx.preparedQuery("""
                        WITH replaced AS (
                            UPDATE outbox SET status = 'skipped', last_error = 'superseded'
                            WHERE channel = $1 AND recipient_id = $2 AND category = $3 AND status = 'pending'
                            RETURNING not_before)
                        SELECT min(not_before) AS earliest FROM replaced""")
                .execute(Tuple.of(channel.wireName(), recipient, category))
                .map(rows -> java.util.Optional.ofNullable(rows.iterator().next().getOffsetDateTime("earliest"))
                        .map(OffsetDateTime::toInstant));
    }

    /** Wakes the dispatchers of {@code channel} on this node now (call after the commit). */
    public void kick(Channel channel) {
        vertx.eventBus().publish(kickAddress(channel), null);
    }

    /** An item of the outbox as admins see it: never its content. */
    public record Queued(UUID id, String to, String category, int attempts, String lastError, Instant createdAt) {
    }

    /** The newest 200 items of {@code channel} in {@code status} (one of {@link #STATUSES}). */
    public static Future<List<Queued>> withStatus(SqlClient sql, Channel channel, String status) {
        return sql.preparedQuery("""
                        SELECT id, address, category, attempts, last_error, created_at FROM outbox
                        WHERE channel = $1 AND status = $2 ORDER BY created_at DESC LIMIT 200""")
                .execute(Tuple.of(channel.wireName(), status))
                .map(rows -> {
                    List<Queued> items = new ArrayList<>();
                    rows.forEach(row -> items.add(new Queued(row.getUUID("id"), row.getString("address"),
                            row.getString("category"), row.getInteger("attempts"), row.getString("last_error"),
                            row.getOffsetDateTime("created_at").toInstant())));
                    return items;
                });
    }

    /** Puts a dead item of {@code channel} back to be tried from scratch at {@code now}; false if there is none. */
    public static Future<Boolean> retryDead(SqlClient sql, Channel channel, UUID id, Instant now) {
        return sql.preparedQuery("""
                        UPDATE outbox SET status = 'pending', attempts = 0, not_before = $3, last_error = NULL
                        WHERE id = $1 AND channel = $2 AND status = 'dead'""")
                .execute(Tuple.of(id, channel.wireName(), utc(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Forgets the per-address counts of {@code address} (its owner closed their space). */
    public static Future<Void> forget(SqlClient tx, Channel channel, String address) {
        return tx.preparedQuery("DELETE FROM outbox_rate WHERE channel = $1 AND address = $2")
                .execute(Tuple.of(channel.wireName(), address)).mapEmpty();
    }

    /** Deletes the per-address counts of clock hours that ended before {@code before}; returns how many. */
    public static Future<Integer> purgeRates(SqlClient sql, Instant before) {
        return sql.preparedQuery("DELETE FROM outbox_rate WHERE window_start < $1")
                .execute(Tuple.of(utc(before.minus(java.time.Duration.ofHours(1))))).map(rows -> rows.rowCount());
    }

    JsonObject open(Channel channel, byte[] sealed, String keyId, UUID id) {
        return new JsonObject(sealer.openText(sealed, keyId, aad(channel, id)));
    }

    /** What a sealed content is bound to: its item and channel ("email:<id>", as emails were sealed before SMS came). */
    private static String aad(Channel channel, UUID id) {
        return channel.wireName() + ":" + id;
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

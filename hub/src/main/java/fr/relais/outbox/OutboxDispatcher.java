package fr.relais.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one channel's part of the outbox: claims ready items with {@code FOR UPDATE SKIP LOCKED} and a lease (any
 * number of nodes), security items first, and hands each to the channel's {@link Transport}. Temporary failures
 * are retried with exponential backoff and jitter (or after the receiver's Retry-After); permanent ones and
 * exhausted retries end dead, visible to admins. Not sent at all, and marked skipped: a digest whose events the
 * person has read since, an item past its expiry (a code nobody can use any more), and an item whose address is gone.
 * A fallback is skipped if an item of its other channel covering the same events was sent. With a per-address
 * limit (counted per category: codes anyone may ask for cannot spend the places of login codes), an item over it
 * waits for the next clock hour (or is skipped if it expires first); the counts are kept in {@code outbox_rate},
 * shared by every node. An outage of the transport loses nothing: items wait
 * and leave when it is back. (If a node dies after the transport took an item but before it was marked sent, the
 * item is sent again when the lease runs out, with the same message id.)
 */
public final class OutboxDispatcher {
    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final Pool pool;
    private final Channel channel;
    private final Transport transport;
    private final Outbox outbox;
    private final DispatchSettings settings;
    private final Clock clock;
    private final ReadMarks readMarks;
    private final String node = UUID.randomUUID().toString();
    private final Counter sent;
    private final Counter retried;
    private final Counter dead;
    private final Counter skipped;
    private final Counter held;
    private volatile boolean stopped;

    public OutboxDispatcher(Pool pool, Channel channel, Transport transport, Outbox outbox, DispatchSettings settings,
                            Clock clock, MeterRegistry metrics, ReadMarks readMarks) {
        this.pool = pool;
        this.channel = channel;
        this.transport = transport;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        this.readMarks = readMarks;
        this.sent = counter(metrics, "sent");
        this.retried = counter(metrics, "retried");
        this.dead = counter(metrics, "dead");
        this.skipped = counter(metrics, "skipped");
        this.held = counter(metrics, "rate_limited");
    }

    private Counter counter(MeterRegistry metrics, String outcome) {
        return Counter.builder("relais.outbox." + outcome).tag("channel", channel.wireName()).register(metrics);
    }

    public Channel channel() {
        return channel;
    }

    public Transport transport() {
        return transport;
    }

    /**
     * Sends batches until one is not full (a job of the hub, and at each kick of its channel); returns how many were
     * claimed. Does nothing once {@link #stop}ped.
     */
    public Future<Integer> drain() {
        return stopped ? Future.succeededFuture(0) : runOnce().compose(claimed -> claimed < settings.batchSize()
                ? Future.succeededFuture(claimed) : drain().map(more -> claimed + more));
    }

    /** Makes {@link #drain} do nothing; {@link #runOnce} still sends (benchmarks queue first, then send alone). */
    public void stop() {
        stopped = true;
    }

    /** Claims and sends one batch; returns how many were claimed. */
    public Future<Integer> runOnce() {
        Instant now = clock.instant();
        return pool.preparedQuery("""
                        WITH ready AS (
                            SELECT id FROM outbox
                            WHERE channel = $5
                              AND ((status = 'pending' AND not_before <= $1) OR (status = 'sending' AND lease_until < $1))
                            ORDER BY priority, not_before LIMIT $2 FOR UPDATE SKIP LOCKED)
                        UPDATE outbox o SET status = 'sending', claimed_by = $3, lease_until = $4, attempts = o.attempts + 1
                        FROM ready WHERE o.id = ready.id
                        RETURNING o.id, o.dedup_key, o.recipient_id, o.address, o.category, o.content_sealed, o.key_id,
                                  o.up_to_offset, o.expires_at, o.unless_sent, o.attempts""")
                .execute(Tuple.of(Outbox.utc(now), settings.batchSize(), node, Outbox.utc(now.plus(settings.lease())),
                        channel.wireName()))
                .compose(rows -> {
                    List<Future<Void>> sending = new ArrayList<>();
                    for (Row row : rows) {
                        // whatever fails before the transport answers (an item that cannot be opened) counts as an attempt
                        sending.add(Future.<Void>succeededFuture().compose(v -> send(row, now)).recover(e -> failed(row, now, e)));
                    }
                    return Future.join(sending).map(rows.size());
                });
    }

    private Future<Void> send(Row row, Instant now) {
        UUID id = row.getUUID("id");
        if (row.getOffsetDateTime("expires_at") != null && !row.getOffsetDateTime("expires_at").toInstant().isAfter(now)) {
            return skip(id, "expired");
        }
        return reasonNotToSend(row).compose(reason -> reason != null ? skip(id, reason) : withinLimit(row, now).compose(within -> {
            if (!within) {
                return heldBack(row, now);
            }
            Delivery delivery = new Delivery(id, row.getUUID("recipient_id"), row.getString("address"),
                    row.getString("category"),
                    outbox.open(channel, row.getBuffer("content_sealed").getBytes(), row.getString("key_id"), id),
                    row.getString("dedup_key").replaceAll("[^A-Za-z0-9.-]", "-"));
            return transport.send(delivery)
                    .compose(v -> {
                        sent.increment();
                        return mark(id, "sent", null, null, false);
                    })
                    .recover(failure -> failed(row, now, failure));
        }));
    }

    /**
     * Why an item needs not go any more, or null: the person has acknowledged the events it covers ("read"), or it is
     * a fallback and an item of the other channel covering them was sent (for instance "carried by push").
     */
    private Future<String> reasonNotToSend(Row row) {
        Long upTo = row.getLong("up_to_offset");
        if (upTo == null) {
            return Future.succeededFuture();
        }
        UUID recipient = row.getUUID("recipient_id");
        String unlessSent = row.getString("unless_sent");
        return readMarks.readUpTo(recipient, upTo).compose(read -> read ? Future.succeededFuture("read")
                : unlessSent == null ? Future.succeededFuture()
                : pool.preparedQuery("""
                                SELECT EXISTS (SELECT 1 FROM outbox WHERE channel = $1 AND recipient_id = $2 AND status = 'sent'
                                               AND up_to_offset >= $3) AS carried""")
                        .execute(Tuple.of(unlessSent, recipient, upTo))
                        .map(rows -> rows.iterator().next().getBoolean("carried") ? "carried by " + unlessSent : null));
    }

    /** Takes one of this clock hour's places for the item's address and category; false when they are all taken. */
    private Future<Boolean> withinLimit(Row row, Instant now) {
        if (settings.perAddressPerHour() <= 0) {
            return Future.succeededFuture(true);
        }
        return pool.preparedQuery("""
                        INSERT INTO outbox_rate (channel, address, category, window_start, sent) VALUES ($1, $2, $5, $3, 1)
                        ON CONFLICT (channel, address, category, window_start) DO UPDATE SET sent = outbox_rate.sent + 1
                        WHERE outbox_rate.sent < $4""")
                .execute(Tuple.of(channel.wireName(), row.getString("address"), Outbox.utc(hourOf(now)),
                        settings.perAddressPerHour(), row.getString("category")))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Over the limit: waits for the next hour, without counting an attempt, unless it expires before. */
    private Future<Void> heldBack(Row row, Instant now) {
        held.increment();
        Instant nextHour = hourOf(now).plus(Duration.ofHours(1));
        var expires = row.getOffsetDateTime("expires_at");
        if (expires != null && !expires.toInstant().isAfter(nextHour)) {
            return skip(row.getUUID("id"), "rate limited until it expired");
        }
        return mark(row.getUUID("id"), "pending", nextHour, "rate limited", true);
    }

    private static Instant hourOf(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS);
    }

    private Future<Void> failed(Row row, Instant now, Throwable failure) {
        UUID id = row.getUUID("id");
        DeliveryFailure.Kind kind = failure instanceof DeliveryFailure known ? known.kind()
                : transport.permanent(failure) ? DeliveryFailure.Kind.PERMANENT : DeliveryFailure.Kind.TEMPORARY;
        if (kind == DeliveryFailure.Kind.GONE) {
            return skip(id, "address gone: " + failure.getMessage());
        }
        int attempts = row.getInteger("attempts");
        if (kind == DeliveryFailure.Kind.PERMANENT || attempts >= settings.maxAttempts()) {
            dead.increment();
            log.warn("{} {} is dead after {} attempt(s): {}", channel.wireName(), id, attempts, failure.getMessage());
            return mark(id, "dead", null, failure.getMessage(), false);
        }
        retried.increment();
        long base = Math.min(Duration.ofMinutes(30).toMillis(), 1000L << Math.min(attempts, 20));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        if (failure instanceof DeliveryFailure known && known.retryAfter().isPresent()) {
            delay = Math.max(delay, known.retryAfter().get().toMillis());
        }
        return mark(id, "pending", now.plusMillis(delay), failure.getMessage(), false);
    }

    private Future<Void> skip(UUID id, String why) {
        skipped.increment();
        return mark(id, "skipped", null, why, false);
    }

    private Future<Void> mark(UUID id, String status, Instant notBefore, String error, boolean attemptNotMade) {
        return pool.preparedQuery("""
                        UPDATE outbox SET status = $3, sent_at = CASE WHEN $3 = 'sent' THEN now() ELSE sent_at END,
                               not_before = COALESCE($4, not_before),
                               last_error = CASE WHEN $3 = 'sent' THEN NULL ELSE COALESCE($5, last_error) END,
                               attempts = attempts - CASE WHEN $6 THEN 1 ELSE 0 END
                        WHERE id = $1 AND claimed_by = $2 AND status = 'sending'""")
                .execute(Tuple.of(id, node, status, notBefore == null ? null : Outbox.utc(notBefore), error, attemptNotMade))
                .mapEmpty();
    }
}

package fr.relais.webhook;

import fr.relais.config.WebhookConfig;
import fr.relais.identity.policy.Delegations;
import fr.relais.stream.StreamCommands;
import fr.relais.stream.StreamEvent;
import fr.relais.stream.StreamPosition;
import fr.relais.stream.Streams;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers systems' events to their webhooks, from each system's own stream, in offset order and one at a time
 * per system (systems side by side): a run claims the webhooks that are due and have events past their cursor
 * (a lease, {@code SKIP LOCKED}: one node per webhook), and for each POSTs the next events, moving the cursor after
 * each one delivered. A failed attempt waits {@link WebhookConfig#retryAfter} (hub clock) before the same event is
 * tried again; after {@code webhooks.maxAttempts} the event goes to the dead-letter list, the cursor moves past it
 * and the next events follow. The cursor is durable: a receiver that was down gets, once back, every event it
 * missed, each delivered once (the same {@code Relais-Event-Id} if an answer was lost and it comes again).
 */
final class WebhookDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int WEBHOOKS_PER_RUN = 20;
    private static final int EVENTS_PER_WEBHOOK = 100;

    private final Pool pool;
    private final Streams streams;
    private final Webhooks webhooks;
    private final WebhookDelivery delivery;
    private final WebhookConfig config;
    private final MeterRegistry metrics;

    WebhookDispatcher(Pool pool, Streams streams, Webhooks webhooks, WebhookDelivery delivery, WebhookConfig config,
                      MeterRegistry metrics) {
        this.pool = pool;
        this.streams = streams;
        this.webhooks = webhooks;
        this.delivery = delivery;
        this.config = config;
        this.metrics = metrics;
    }

    /** One run; the number of events delivered or dead-lettered. */
    Future<Integer> runOnce() {
        UUID lease = UUID.randomUUID();
        return pool.preparedQuery("""
                        UPDATE webhook w SET lease = $1, leased_until = $2::timestamptz + interval '5 minutes'
                        WHERE w.integrator_id IN (
                            SELECT integrator_id FROM webhook
                            WHERE next_attempt_at <= $2 AND (leased_until IS NULL OR leased_until < $2)
                              AND %s AND %s
                            ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
                        RETURNING w.*""".formatted(Streams.hasEventsAfterSql("integrator_id", "delivered", "epoch"),
                        Delegations.systemMaySql("integrator_id", StreamCommands.READ_SCOPE)))
                .execute(Tuple.of(lease, streams.eventTime(), WEBHOOKS_PER_RUN))
                .compose(rows -> {
                    List<Future<Integer>> runs = new ArrayList<>();
                    rows.forEach(row -> runs.add(Future.<Void>succeededFuture().compose(v -> deliver(row, lease)) // a throw fails it
                            .onFailure(e -> LOG.warn("webhook of system {}: run failed: {}", row.getUUID("integrator_id"), e.toString()))
                            .eventually(() -> release(row.getUUID("integrator_id"), lease))));
                    return Future.join(runs).map(all -> runs.stream().filter(Future::succeeded).mapToInt(Future::result).sum());
                });
    }

    private Future<Integer> deliver(Row webhook, UUID lease) {
        UUID system = webhook.getUUID("integrator_id");
        URI url = URI.create(webhook.getString("url"));
        List<String> secrets = webhooks.secrets(system, webhook);
        return streams.position(system).compose(position -> {
            boolean sameHistory = sameHistory(webhook.getString("epoch"), position);
            long delivered = sameHistory ? webhook.getLong("delivered") : 0;
            return streams.replay(system, delivered, position.head(), EVENTS_PER_WEBHOOK)
                    .compose(events -> next(system, url, secrets, lease, position, events, 0, delivered,
                            sameHistory ? webhook.getInteger("attempts") : 0));
        });
    }

    /**
     * Whether the cursor's history is the stream's: a webhook set before the system had a stream has none yet (its
     * cursor, 0, stands at the start of whatever history comes); a stream begun anew starts the cursor again.
     */
    static boolean sameHistory(String cursorEpoch, StreamPosition position) {
        return cursorEpoch.isEmpty() || cursorEpoch.equals(position.epoch());
    }

    /** Event {@code i} of {@code events}, then the next, until one fails or none is left; how many were moved past. */
    private Future<Integer> next(UUID system, URI url, List<String> secrets, UUID lease, StreamPosition position,
                                 List<StreamEvent> events, int i, long delivered, int attempts) {
        if (i == events.size()) {
            return events.isEmpty() && position.head() > delivered
                    ? trimmed(system, lease, position.epoch(), delivered, position.head() + 1).map(i)
                    : Future.succeededFuture(i);
        }
        StreamEvent event = events.get(i);
        if (event.offset() > delivered + 1) {
            return trimmed(system, lease, event.epoch(), delivered, event.offset())
                    .compose(moved -> moved ? next(system, url, secrets, lease, position, events, i, event.offset() - 1, 0)
                            : Future.succeededFuture(i));
        }
        return delivery.post(url, event, secrets).compose(attempt -> {
            if (attempt.delivered()) {
                metrics.counter("relais.webhook.events", "outcome", "delivered").increment();
                return cursor(system, lease, event.epoch(), event.offset(), 0)
                        .compose(moved -> moved ? next(system, url, secrets, lease, position, events, i + 1, event.offset(), 0)
                                : Future.succeededFuture(i + 1));
            }
            int failed = attempts + 1;
            if (failed < config.maxAttempts()) {
                return retryLater(system, lease, failed, attempt.error()).map(i);
            }
            metrics.counter("relais.webhook.events", "outcome", "dead_lettered").increment();
            LOG.warn("webhook of system {}: event {}:{} dead-lettered after {} attempts ({})", system, event.epoch(), event.offset(),
                    failed, attempt.error());
            return deadLetter(system, event, failed, attempt.error())
                    .compose(v -> cursor(system, lease, event.epoch(), event.offset(), 0))
                    .compose(moved -> moved ? next(system, url, secrets, lease, position, events, i + 1, event.offset(), 0)
                            : Future.succeededFuture(i + 1));
        });
    }

    /**
     * Moves the cursor past {@code offset} (counting {@code trimmed} events the stream dropped before they could be
     * sent) and renews the lease; false if this run lost it (the webhook was removed or pointed elsewhere meanwhile).
     */
    private Future<Boolean> cursor(UUID system, UUID lease, String epoch, long offset, long trimmed) {
        return pool.preparedQuery("""
                        UPDATE webhook SET epoch = $3, delivered = $4, attempts = 0, last_error = NULL, trimmed = trimmed + $5,
                                           leased_until = $6::timestamptz + interval '5 minutes'
                        WHERE integrator_id = $1 AND lease = $2""")
                .execute(Tuple.of(system, lease, epoch, offset, trimmed, streams.eventTime()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * The stream trimmed the events after {@code delivered} and before {@code next} before they could be sent (the
     * receiver was refusing longer than the retention, or fell that far behind): they are counted on the webhook
     * ({@code trimmed}) and in the metrics, never skipped silently.
     */
    private Future<Boolean> trimmed(UUID system, UUID lease, String epoch, long delivered, long next) {
        long lost = next - delivered - 1;
        LOG.warn("webhook of system {}: {} events ({} to {}) were trimmed before delivery", system, lost, delivered + 1, next - 1);
        metrics.counter("relais.webhook.events", "outcome", "trimmed").increment(lost);
        return cursor(system, lease, epoch, next - 1, lost);
    }

    private Future<Void> retryLater(UUID system, UUID lease, int failed, String error) {
        return pool.preparedQuery("""
                        UPDATE webhook SET attempts = $3, last_error = $4, next_attempt_at = $5
                        WHERE integrator_id = $1 AND lease = $2""")
                .execute(Tuple.of(system, lease, failed, error, streams.eventTime().plus(config.retryAfter(failed))))
                .mapEmpty();
    }

    private Future<Void> deadLetter(UUID system, StreamEvent event, int attempts, String error) {
        return pool.preparedQuery("""
                        INSERT INTO webhook_dead_letter (id, integrator_id, epoch, "offset", type, attempts, last_error, failed_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(UUID.randomUUID(), system, event.epoch(), event.offset(), event.type(), attempts, error, streams.eventTime()))
                .mapEmpty();
    }

    private Future<Void> release(UUID system, UUID lease) {
        return pool.preparedQuery("UPDATE webhook SET lease = NULL, leased_until = NULL WHERE integrator_id = $1 AND lease = $2")
                .execute(Tuple.of(system, lease)).mapEmpty();
    }

}

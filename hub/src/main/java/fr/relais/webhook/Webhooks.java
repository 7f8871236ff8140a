package fr.relais.webhook;

import fr.relais.config.WebhookConfig;
import fr.relais.error.ApiError;
import fr.relais.net.OutboundEndpoints;
import fr.relais.stream.StreamPosition;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A system's webhook: one per system, set (its secret shown once), read with its delivery state, its secret
 * rotated (the previous one signs too for {@code webhooks.secretOverlap}), removed; and the events it gave up on
 * (the dead letters), listed and replayed one by one. Deliveries start with the events after the webhook was set.
 */
final class Webhooks {
    private final Pool pool;
    private final Streams streams;
    private final WebhookSigner signer;
    private final OutboundEndpoints endpoints;
    private final WebhookDelivery delivery;
    private final WebhookConfig config;
    private final Clock clock;

    Webhooks(Pool pool, Streams streams, WebhookSigner signer, OutboundEndpoints endpoints, WebhookDelivery delivery,
             WebhookConfig config, Clock clock) {
        this.pool = pool;
        this.streams = streams;
        this.signer = signer;
        this.endpoints = endpoints;
        this.delivery = delivery;
        this.config = config;
        this.clock = clock;
    }

    /** Sets the system's endpoint: a new webhook answers its secret (once); changing the URL keeps the secret and the cursor. */
    Future<JsonObject> set(UUID system, Object rawUrl) {
        URI url = endpoints.parse(rawUrl);
        String secret = WebhookSigner.newSecret();
        return endpoints.address(url).compose(checked -> streams.position(system)).compose(position -> pool.preparedQuery("""
                        INSERT INTO webhook (integrator_id, url, secret_sealed, key_id, epoch, delivered, next_attempt_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        ON CONFLICT (integrator_id) DO UPDATE SET url = EXCLUDED.url, attempts = 0, last_error = NULL,
                                                                  next_attempt_at = EXCLUDED.next_attempt_at,
                                                                  lease = NULL, leased_until = NULL
                        RETURNING xmax = 0 AS created""")
                .execute(Tuple.of(system, url.toString(), Buffer.buffer(signer.seal(system, secret)), signer.keyId(),
                        position.epoch(), position.head(), streams.eventTime())))
                .compose(rows -> {
                    boolean created = rows.iterator().next().getBoolean("created");
                    return describe(system).map(json -> created ? json.put("secret", secret).put("created", true) : json);
                });
    }

    /** The webhook and where its deliveries stand; {@code 404 webhook_not_found} if none is set. */
    Future<JsonObject> describe(UUID system) {
        return pool.preparedQuery("""
                        SELECT w.url, w.epoch, w.delivered, w.trimmed, w.attempts, w.next_attempt_at, w.last_error, w.previous_until, w.created_at,
                               (SELECT count(*) FROM webhook_dead_letter d WHERE d.integrator_id = w.integrator_id) AS dead_letters
                        FROM webhook w WHERE w.integrator_id = $1""")
                .execute(Tuple.of(system))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(notFound());
                    }
                    Row row = rows.iterator().next();
                    return streams.position(system).map(position -> describe(row, position));
                });
    }

    private JsonObject describe(Row row, StreamPosition position) {
        boolean sameHistory = WebhookDispatcher.sameHistory(row.getString("epoch"), position);
        JsonObject json = new JsonObject().put("url", row.getString("url"))
                .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())
                .put("deliveredUpTo", row.getString("epoch") + ":" + row.getLong("delivered"))
                .put("pending", Math.max(0, sameHistory ? position.head() - row.getLong("delivered") : position.head()))
                .put("failedAttempts", row.getInteger("attempts")).put("trimmed", row.getLong("trimmed"))
                .put("deadLetters", row.getLong("dead_letters"));
        if (row.getInteger("attempts") > 0) {
            json.put("nextAttemptAt", row.getOffsetDateTime("next_attempt_at").toInstant().toString())
                    .put("lastError", row.getString("last_error"));
        }
        OffsetDateTime previousUntil = row.getOffsetDateTime("previous_until");
        if (previousUntil != null && previousUntil.toInstant().isAfter(clock.instant())) {
            json.put("previousSecretValidUntil", previousUntil.toInstant().toString());
        }
        return json;
    }

    Future<Void> remove(UUID system) {
        return pool.preparedQuery("""
                        WITH letters AS (DELETE FROM webhook_dead_letter WHERE integrator_id = $1)
                        DELETE FROM webhook WHERE integrator_id = $1""")
                .execute(Tuple.of(system))
                .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(notFound()) : Future.<Void>succeededFuture());
    }

    /** A new secret, answered once; the previous one signs too until the answer's {@code previousSecretValidUntil}. */
    Future<JsonObject> rotate(UUID system) {
        String secret = WebhookSigner.newSecret();
        OffsetDateTime until = streams.eventTime().plus(config.secretOverlap());
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT secret_sealed, key_id FROM webhook WHERE integrator_id = $1 FOR UPDATE")
                .execute(Tuple.of(system))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(notFound());
                    }
                    Row row = rows.iterator().next();
                    String previous = signer.open(system, row.getBuffer("secret_sealed").getBytes(), row.getString("key_id"));
                    return tx.preparedQuery("""
                                    UPDATE webhook SET secret_sealed = $2, previous_secret_sealed = $3, previous_until = $4, key_id = $5
                                    WHERE integrator_id = $1""")
                            .execute(Tuple.of(system, Buffer.buffer(signer.seal(system, secret)),
                                    Buffer.buffer(signer.seal(system, previous)), until, signer.keyId()));
                }))
                .map(v -> new JsonObject().put("secret", secret).put("previousSecretValidUntil", until.toInstant().toString()));
    }

    /** The secrets that sign now: the current one, and the previous one during its overlap. */
    List<String> secrets(UUID system, Row webhook) {
        List<String> secrets = new ArrayList<>(2);
        String keyId = webhook.getString("key_id");
        secrets.add(signer.open(system, webhook.getBuffer("secret_sealed").getBytes(), keyId));
        OffsetDateTime until = webhook.getOffsetDateTime("previous_until");
        if (webhook.getBuffer("previous_secret_sealed") != null && until != null && until.toInstant().isAfter(clock.instant())) {
            secrets.add(signer.open(system, webhook.getBuffer("previous_secret_sealed").getBytes(), keyId));
        }
        return secrets;
    }

    Future<JsonArray> deadLetters(UUID system) {
        return pool.preparedQuery("""
                        SELECT id, epoch, "offset", type, attempts, last_error, failed_at FROM webhook_dead_letter
                        WHERE integrator_id = $1 ORDER BY failed_at, "offset" LIMIT 500""")
                .execute(Tuple.of(system))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(new JsonObject().put("id", row.getUUID("id").toString())
                            .put("eventId", row.getString("epoch") + ":" + row.getLong("offset")).put("type", row.getString("type"))
                            .put("attempts", row.getInteger("attempts")).put("lastError", row.getString("last_error"))
                            .put("failedAt", row.getOffsetDateTime("failed_at").toInstant().toString())));
                    return list;
                });
    }

    /**
     * Sends a dead letter's event again, now: delivered, it leaves the list; refused again, it stays with one more
     * attempt. An event the stream no longer keeps (past retention, or a stream begun anew) is {@code 410 event_gone}.
     */
    Future<JsonObject> replay(UUID system, UUID deadLetter) {
        return pool.preparedQuery("""
                        SELECT d.epoch, d."offset", w.url, w.secret_sealed, w.previous_secret_sealed, w.previous_until, w.key_id
                        FROM webhook_dead_letter d JOIN webhook w ON w.integrator_id = d.integrator_id
                        WHERE d.id = $1 AND d.integrator_id = $2""")
                .execute(Tuple.of(deadLetter, system))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(ApiError.notFound("dead_letter_not_found", "This system has no such dead letter."));
                    }
                    Row row = rows.iterator().next();
                    long offset = row.getLong("offset");
                    return streams.replay(system, offset - 1, offset, 1).compose(events -> {
                        if (events.isEmpty() || !events.get(0).epoch().equals(row.getString("epoch"))) {
                            return Future.failedFuture(ApiError.of(410, "event_gone",
                                    "The stream no longer keeps this event (past its retention, or begun anew)."));
                        }
                        return delivery.post(URI.create(row.getString("url")), events.get(0), secrets(system, row));
                    }).compose(attempt -> (attempt.delivered()
                            ? pool.preparedQuery("DELETE FROM webhook_dead_letter WHERE id = $1").execute(Tuple.of(deadLetter))
                            : pool.preparedQuery("UPDATE webhook_dead_letter SET attempts = attempts + 1, last_error = $2, failed_at = $3 WHERE id = $1")
                                    .execute(Tuple.of(deadLetter, attempt.error(), streams.eventTime())))
                            .map(v -> attempt.delivered() ? new JsonObject().put("delivered", true)
                                    : new JsonObject().put("delivered", false).put("error", attempt.error())));
                });
    }


    private static ApiError notFound() {
        return ApiError.notFound("webhook_not_found", "This system has no webhook; set one with PUT /api/v1/webhook.");
    }
}

package fr.relais.command;

import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Remembers the result of each (caller, idempotency key) for a while, so a retried request returns the first
 * result. Features whose writes must never happen twice also put the key in their own unique constraint, inside
 * their transaction; this store answers the retry without running it again. The same key with other arguments
 * is refused ({@link RequestFingerprints}). A result can be health data (the messages of a conversation): it is
 * sealed, bound to its caller and key, and deleted with the caller's account.
 */
public final class IdempotencyStore {
    private final Pool pool;
    private final Sealer sealer;
    private final RequestFingerprints fingerprints;

    public IdempotencyStore(Pool pool, Sealer sealer, RequestFingerprints fingerprints) {
        this.pool = pool;
        this.sealer = sealer;
        this.fingerprints = fingerprints;
    }

    /** Runs {@code work} unless this caller already ran {@code operation} with these {@code args} under {@code key}. */
    public Future<JsonObject> once(Principal who, String key, String operation, JsonObject args,
                                   Supplier<Future<JsonObject>> work) {
        if (key.isBlank() || key.length() > 200) {
            return Future.failedFuture(ApiError.invalidField("idempotencyKey", "An idempotency key has 1 to 200 characters."));
        }
        byte[] fingerprint = fingerprints.of(who.id(), operation, args);
        return stored(who.id(), key, operation, fingerprint).compose(previous -> previous != null
                ? Future.succeededFuture(previous)
                : work.get().compose(result -> remember(who, key, operation, fingerprint, result)
                        .compose(v -> stored(who.id(), key, operation, fingerprint))
                        .map(winner -> winner == null ? result : winner)));
    }

    /** Forgets keys older than {@code age}. */
    public Future<Integer> purge(Duration age) {
        return pool.preparedQuery("DELETE FROM idempotency_key WHERE created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) age.toSeconds()))
                .map(rows -> rows.rowCount());
    }

    private Future<Void> remember(Principal who, String key, String operation, byte[] fingerprint, JsonObject result) {
        boolean integrator = who.is(Principal.Kind.INTEGRATOR);
        return pool.preparedQuery("""
                        INSERT INTO idempotency_key (account_id, integrator_id, key, operation, result_sealed, key_id, request_hmac)
                        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(integrator ? null : who.id(), integrator ? who.id() : null, key, operation,
                        Buffer.buffer(sealer.seal(result.encode(), context(who.id(), key))), sealer.keyId(),
                        Buffer.buffer(fingerprint)))
                .mapEmpty();
    }

    /** The first result under this key, null if none; a 409 if the key was used for another operation or request. */
    private Future<JsonObject> stored(UUID principal, String key, String operation, byte[] fingerprint) {
        return pool.preparedQuery("""
                        SELECT operation, result_sealed, key_id, request_hmac FROM idempotency_key
                        WHERE principal_id = $1 AND key = $2""")
                .execute(Tuple.of(principal, key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    if (!row.getString("operation").equals(operation)) {
                        throw ApiError.of(409, "idempotency_key_reused", "This idempotency key was used for another operation.");
                    }
                    RequestFingerprints.requireSame(row.getBuffer("request_hmac"), fingerprint);
                    return new JsonObject(sealer.openText(row.getBuffer("result_sealed").getBytes(), row.getString("key_id"),
                            context(principal, key)));
                });
    }

    private static String context(UUID principal, String key) {
        return "idempotency:" + principal + ":" + key;
    }
}

package fr.relais.command;

import fr.relais.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Remembers the result of each (caller, idempotency key) for a while, so a retried request returns the first
 * result. Features whose writes must never happen twice also put the key in their own unique constraint, inside
 * their transaction; this store answers the retry without running it again.
 */
public final class IdempotencyStore {
    private final Pool pool;

    public IdempotencyStore(Pool pool) {
        this.pool = pool;
    }

    public Future<JsonObject> once(UUID principal, String key, String operation, Supplier<Future<JsonObject>> work) {
        if (key.isBlank() || key.length() > 200) {
            return Future.failedFuture(ApiError.invalidField("idempotencyKey", "An idempotency key has 1 to 200 characters."));
        }
        return stored(principal, key, operation).compose(previous -> previous != null
                ? Future.succeededFuture(previous)
                : work.get().compose(result -> pool.preparedQuery("""
                                INSERT INTO idempotency_key (principal_id, key, operation, result) VALUES ($1, $2, $3, $4)
                                ON CONFLICT DO NOTHING""")
                        .execute(Tuple.of(principal, key, operation, result))
                        .compose(v -> stored(principal, key, operation))
                        .map(winner -> winner == null ? result : winner)));
    }

    /** Forgets keys older than {@code age}. */
    public Future<Integer> purge(Duration age) {
        return pool.preparedQuery("DELETE FROM idempotency_key WHERE created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) age.toSeconds()))
                .map(rows -> rows.rowCount());
    }

    private Future<JsonObject> stored(UUID principal, String key, String operation) {
        return pool.preparedQuery("SELECT operation, result FROM idempotency_key WHERE principal_id = $1 AND key = $2")
                .execute(Tuple.of(principal, key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    var row = rows.iterator().next();
                    if (!row.getString("operation").equals(operation)) {
                        throw ApiError.of(409, "idempotency_key_reused", "This idempotency key was used for another operation.");
                    }
                    return (JsonObject) row.getValue("result");
                });
    }
}

package fr.relais.ratelimit;

import fr.relais.error.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Fixed-window counters kept in PostgreSQL, so that every node counts the same attempts. One statement per hit:
 * an upsert that returns the new count. Past the limit the caller gets 429 {@code rate_limited} with
 * {@code Retry-After} set to the end of the window.
 */
public final class RateLimiter {
    private final Pool pool;
    private final Clock clock;

    public RateLimiter(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** Counts one attempt under {@code key}; fails once more than {@code limit} were made in the window. */
    public Future<Void> hit(String key, int limit, Duration window) {
        Instant now = clock.instant();
        long windowMillis = window.toMillis();
        Instant start = Instant.ofEpochMilli(now.toEpochMilli() / windowMillis * windowMillis);
        return pool.preparedQuery("""
                        INSERT INTO rate_limit (key, window_start, hits) VALUES ($1, $2, 1)
                        ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit.hits + 1
                        RETURNING hits""")
                .execute(Tuple.of(key, OffsetDateTime.ofInstant(start, ZoneOffset.UTC)))
                .compose(rows -> {
                    int hits = rows.iterator().next().getInteger("hits");
                    if (hits <= limit) {
                        return Future.succeededFuture();
                    }
                    Duration left = Duration.between(now, start.plus(window));
                    return Future.failedFuture(ApiError.of(429, "rate_limited",
                            "Too many attempts; try again later.").retryAfter(left));
                });
    }

    /** Removes windows that ended before {@code before}; run from time to time. */
    public Future<Integer> purge(Instant before) {
        return pool.preparedQuery("DELETE FROM rate_limit WHERE window_start < $1")
                .execute(Tuple.of(OffsetDateTime.ofInstant(before, ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}

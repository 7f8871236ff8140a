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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixed-window counters kept in PostgreSQL, so that every node counts the same attempts. An attempt is counted under
 * each of its keys before it is tried (one upsert per key, returning the new count), so that attempts made at the same
 * time cannot slip past a limit together; one that succeeds is given back ({@link #refund}), so only failures use up a
 * limit. Past a limit the caller gets 429 {@code rate_limited} with {@code Retry-After} set to the end of the window.
 */
public final class RateLimiter {
    /** A counter, and how many attempts it allows per window ({@link #countOnly} counts without refusing). */
    public record Limit(String key, int max) {
        public static Limit countOnly(String key) {
            return new Limit(key, Integer.MAX_VALUE);
        }
    }

    /** An attempt as counted: its window, and the count of each key including this attempt. */
    public record Attempt(OffsetDateTime window, Map<String, Integer> counts) {
        public int count(String key) {
            return counts.getOrDefault(key, 0);
        }
    }

    private final Pool pool;
    private final Clock clock;

    public RateLimiter(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** Counts one attempt under every key, in order; fails at the first key past its limit (later keys are not counted). */
    public Future<Attempt> attempt(Duration window, List<Limit> limits) {
        Instant now = clock.instant();
        long windowMillis = window.toMillis();
        Instant start = Instant.ofEpochMilli(now.toEpochMilli() / windowMillis * windowMillis);
        OffsetDateTime windowStart = OffsetDateTime.ofInstant(start, ZoneOffset.UTC);
        Map<String, Integer> counts = new HashMap<>();
        Future<Void> counted = Future.succeededFuture();
        for (Limit limit : limits) {
            counted = counted.compose(v -> count(limit.key(), windowStart).compose(hits -> {
                counts.put(limit.key(), hits);
                return hits <= limit.max() ? Future.succeededFuture() : Future.failedFuture(ApiError.of(429, "rate_limited",
                        "Too many attempts; try again later.").retryAfter(Duration.between(now, start.plus(window))));
            }));
        }
        return counted.map(v -> new Attempt(windowStart, Map.copyOf(counts)));
    }

    /** Gives back what a successful attempt counted. */
    public Future<Void> refund(Attempt attempt) {
        return pool.preparedQuery("UPDATE rate_limit SET hits = hits - 1 WHERE key = ANY($1) AND window_start = $2 AND hits > 0")
                .execute(Tuple.of(attempt.counts().keySet().toArray(String[]::new), attempt.window()))
                .mapEmpty();
    }

    private Future<Integer> count(String key, OffsetDateTime window) {
        return pool.preparedQuery("""
                        INSERT INTO rate_limit (key, window_start, hits) VALUES ($1, $2, 1)
                        ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit.hits + 1
                        RETURNING hits""")
                .execute(Tuple.of(key, window))
                .map(rows -> rows.iterator().next().getInteger("hits"));
    }

    /** Removes windows that ended before {@code before}; run from time to time. */
    public Future<Integer> purge(Instant before) {
        return pool.preparedQuery("DELETE FROM rate_limit WHERE window_start < $1")
                .execute(Tuple.of(OffsetDateTime.ofInstant(before, ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}

package fr.relais.stream;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Trims stream history older than the retention period or beyond the newest N events per recipient, and moves
 * each stream's {@code first_retained} so that clients with older cursors learn that recovery is impossible.
 * Safe on several nodes at once (an advisory lock lets one node trim at a time).
 */
public final class StreamRetention {
    private final Pool pool;
    private final Duration retention;
    private final int maxEventsPerRecipient;
    private final Clock clock;

    public StreamRetention(Pool pool, Duration retention, int maxEventsPerRecipient, Clock clock) {
        this.pool = pool;
        this.retention = retention;
        this.maxEventsPerRecipient = maxEventsPerRecipient;
        this.clock = clock;
    }

    /** Returns how many events were removed (0 if another node is trimming now). */
    public Future<Integer> trim() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(retention);
        return pool.withTransaction(tx -> tx.query("SELECT pg_try_advisory_xact_lock(hashtext('relais.stream.trim')) AS mine")
                .execute()
                .compose(lock -> {
                    if (!lock.iterator().next().getBoolean("mine")) {
                        return Future.succeededFuture(0);
                    }
                    return tx.preparedQuery("""
                                    WITH doomed AS (
                                        DELETE FROM stream_event e USING stream s
                                        WHERE e.recipient_id = s.recipient_id
                                          AND (e.created_at < $1 OR e."offset" <= s.head - $2)
                                        RETURNING e.recipient_id, e."offset")
                                    UPDATE stream s SET first_retained = d.last + 1
                                    FROM (SELECT recipient_id, max("offset") AS last, count(*) AS n FROM doomed GROUP BY recipient_id) d
                                    WHERE s.recipient_id = d.recipient_id AND s.first_retained <= d.last
                                    RETURNING d.n""")
                            .execute(Tuple.of(cutoff, maxEventsPerRecipient))
                            .map(rows -> {
                                int removed = 0;
                                for (var row : rows) {
                                    removed += row.getLong("n").intValue();
                                }
                                return removed;
                            });
                }));
    }
}

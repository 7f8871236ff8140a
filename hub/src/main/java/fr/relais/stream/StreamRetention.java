package fr.relais.stream;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Trims stream history older than the retention period or beyond the newest N events per recipient, and moves
 * each stream's {@code first_retained} so that clients with older cursors learn that recovery is impossible.
 * Safe on several nodes at once (an advisory lock lets one node trim at a time). It works in batches of streams,
 * each its own short transaction. It locks a batch's stream rows (in the sequencer's order) in the round trip of
 * its one statement, which deletes the old events and moves {@code first_retained}, never before: the sequencer,
 * which updates stream heads for every recipient in one statement, would otherwise wait for a whole trim, and every
 * live event with it.
 */
public final class StreamRetention {
    private static final int STREAMS_PER_BATCH = 100;
    /**
     * A batch that takes longer is aborted by PostgreSQL itself, which releases its row locks at once: closing the
     * connection (the hub's guard, after {@code db.queryTimeout}, 15 s by default) would leave the statement running
     * on the server, holding the stream rows writers wait for. The next trim starts again where it failed.
     */
    private static final String BATCH_TIMEOUT = "SET LOCAL statement_timeout = '10s'";
    /**
     * The sequencer moves heads in recipient order; an UPDATE of many streams locks them in whatever order its join
     * gives, so the two could deadlock (and the sequencer, with every live event, would wait for the detection).
     * Locking the batch's streams in the same order first, sent with the statement in the same round trip, rules
     * that out.
     */
    private static final String LOCK_IN_ORDER =
            "SELECT recipient_id FROM stream WHERE recipient_id = ANY($1) ORDER BY recipient_id FOR NO KEY UPDATE";

    private final Pool pool;
    private final int streamsPerBatch;
    private final Duration retention;
    private final int maxEventsPerRecipient;
    private final Clock clock;

    public StreamRetention(Pool pool, Duration retention, int maxEventsPerRecipient, Clock clock) {
        this(pool, retention, maxEventsPerRecipient, clock, STREAMS_PER_BATCH);
    }

    public StreamRetention(Pool pool, Duration retention, int maxEventsPerRecipient, Clock clock, int streamsPerBatch) {
        this.pool = pool;
        this.streamsPerBatch = streamsPerBatch;
        this.retention = retention;
        this.maxEventsPerRecipient = maxEventsPerRecipient;
        this.clock = clock;
    }

    /** Returns how many events were removed (0 if another node is trimming now). */
    public Future<Integer> trim() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(retention);
        return trimFrom(null, cutoff, 0);
    }

    private Future<Integer> trimFrom(UUID after, OffsetDateTime cutoff, int removedSoFar) {
        return pool.withTransaction(tx -> tx.query(BATCH_TIMEOUT).execute()
                        .compose(v -> tx.query("SELECT pg_try_advisory_xact_lock(hashtext('relais.stream.trim')) AS mine").execute())
                        .compose(lock -> lock.iterator().next().getBoolean("mine")
                                ? batch(tx, after, cutoff)
                                : Future.succeededFuture(Batch.NONE)))
                .compose(batch -> batch.last() == null || batch.streams() < streamsPerBatch
                        ? Future.succeededFuture(removedSoFar + batch.removed())
                        : trimFrom(batch.last(), cutoff, removedSoFar + batch.removed()));
    }

    private record Batch(int streams, UUID last, int removed) {
        static final Batch NONE = new Batch(0, null, 0);
    }

    private Future<Batch> batch(SqlConnection tx, UUID after, OffsetDateTime cutoff) {
        return tx.preparedQuery("""
                        SELECT s.recipient_id FROM stream s
                        WHERE ($3::uuid IS NULL OR s.recipient_id > $3)
                          AND (s.head - $2 >= s.first_retained
                               OR s.recipient_id IN (SELECT e.recipient_id FROM stream_event e WHERE e.created_at < $1))
                        ORDER BY s.recipient_id
                        LIMIT $4""")
                .execute(Tuple.of(cutoff, maxEventsPerRecipient, after, streamsPerBatch))
                .compose(found -> {
                    List<UUID> streams = new ArrayList<>();
                    for (Row row : found) {
                        streams.add(row.getUUID("recipient_id"));
                    }
                    if (streams.isEmpty()) {
                        return Future.succeededFuture(Batch.NONE);
                    }
                    UUID[] batch = streams.toArray(UUID[]::new);
                    Future<RowSet<Row>> locked = tx.preparedQuery(LOCK_IN_ORDER).execute(Tuple.tuple().addArrayOfUUID(batch));
                    Future<RowSet<Row>> trimmed = tx.preparedQuery("""
                                    WITH doomed AS (
                                        DELETE FROM stream_event e USING stream s
                                        WHERE e.recipient_id = s.recipient_id AND s.recipient_id = ANY($3)
                                          AND (e.created_at < $1 OR e."offset" <= s.head - $2)
                                        RETURNING e.recipient_id, e."offset")
                                    UPDATE stream s SET first_retained = d.last + 1
                                    FROM (SELECT recipient_id, max("offset") AS last, count(*) AS n FROM doomed GROUP BY recipient_id) d
                                    WHERE s.recipient_id = d.recipient_id AND s.first_retained <= d.last
                                    RETURNING d.n""")
                            .execute(Tuple.of(cutoff, maxEventsPerRecipient, batch));
                    return Future.all(locked, trimmed).map(done -> {
                        int removed = 0;
                        for (Row row : trimmed.result()) {
                            removed += row.getLong("n").intValue();
                        }
                        return new Batch(streams.size(), streams.get(streams.size() - 1), removed);
                    });
                });
    }
}

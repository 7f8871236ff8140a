package fr.relais.stream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives committed outbox events their offsets. One batch is one short transaction: it takes the cluster-wide
 * sequencer lock (an advisory lock, so batches of several nodes run one after the other), then moves up to
 * {@value #MAX_BATCH} outbox rows, oldest id first, into {@code stream_event} in one statement that also advances
 * each recipient's head. Stream heads are therefore locked by one statement and its commit only, never across a
 * writer's round trips; and since every batch sees every row committed before it started, a write that followed
 * another's commit is numbered after it. The events are published once the batch has committed.
 *
 * <p>Each node wakes its sequencer after its own commits; a batch that was already running, or a full one, is
 * followed by another; a periodic sweep picks up what a node that died between its commit and its batch left.
 */
final class StreamSequencer {
    static final int MAX_BATCH = 2000;
    /** The advisory lock key of the sequencer ("relais.seq" as a number): one batch at a time per database. */
    static final long LOCK_KEY = 0x72656c6169732e73L;
    private static final String TAKE_LOCK = "SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")";
    private static final Logger LOG = LoggerFactory.getLogger(StreamSequencer.class);
    private static final String SEQUENCE = """
            WITH claimed AS (
                DELETE FROM stream_outbox WHERE id IN (SELECT id FROM stream_outbox ORDER BY id LIMIT $1)
                RETURNING id, recipient_id, type, data, created_at),
            counts AS (SELECT recipient_id, count(*) AS n FROM claimed GROUP BY recipient_id),
            heads AS (
                INSERT INTO stream AS s (recipient_id, epoch, head)
                SELECT recipient_id, $2, n FROM counts ORDER BY recipient_id
                ON CONFLICT (recipient_id) DO UPDATE SET head = s.head + EXCLUDED.head
                RETURNING recipient_id, epoch, head),
            numbered AS (
                SELECT c.id, c.recipient_id, h.epoch,
                       h.head - k.n + row_number() OVER (PARTITION BY c.recipient_id ORDER BY c.id) AS "offset",
                       c.type, c.data, c.created_at
                FROM claimed c JOIN heads h USING (recipient_id) JOIN counts k USING (recipient_id)),
            inserted AS (
                INSERT INTO stream_event (recipient_id, "offset", type, data, created_at)
                SELECT recipient_id, "offset", type, data, created_at FROM numbered)
            SELECT id, recipient_id, epoch, "offset", type, data, created_at FROM numbered ORDER BY id""";

    /** An event as numbered, with the outbox id it came from. */
    record Sequenced(long outboxId, StreamEvent event) {
    }

    private final Pool pool;
    private final Context context;
    private final Consumer<List<Sequenced>> publisher;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private boolean running;
    private boolean again;

    StreamSequencer(Vertx vertx, Pool pool, Consumer<List<Sequenced>> publisher) {
        this.pool = pool;
        this.context = vertx.getOrCreateContext();
        this.publisher = publisher;
    }

    /**
     * Numbers what no wake-up announced (a node that died after its commit): one batch now, or none if one is
     * running (it is then followed by another); the number of events the batch numbered.
     */
    Future<Integer> sweep() {
        io.vertx.core.Promise<Integer> swept = io.vertx.core.Promise.promise();
        context.runOnContext(v -> {
            if (running) {
                again = true;
                swept.complete(0);
            } else {
                run().onComplete(swept);
            }
        });
        return swept.future();
    }

    /**
     * Keeps every batch out until {@code tx} ends: for the rare writes that change outbox rows and stream rows
     * together (closing a space), so that a batch and they never wait for each other's rows.
     */
    static Future<Void> holdOff(io.vertx.sqlclient.SqlClient tx) {
        return tx.query(TAKE_LOCK).execute().mapEmpty();
    }

    /** Asks for a batch soon; from any thread. */
    void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                wakeQueued.set(false);
                run();
            });
        }
    }

    private Future<Integer> run() {
        if (running) {
            again = true; // its rows may have committed after the running batch looked
            return Future.succeededFuture(0);
        }
        running = true;
        again = false;
        return batch().onComplete(done -> {
            running = false;
            if (done.failed()) {
                LOG.warn("stream sequencer batch failed, the sweep tries again: {}", done.cause().toString());
            } else if (again || done.result() == MAX_BATCH) {
                run();
            }
        });
    }

    /**
     * One batch in two round trips: BEGIN, the lock and the statement go out together (an open transaction's
     * statements all run inside it, in order), then the COMMIT.
     */
    private Future<Integer> batch() {
        return pool.getConnection().compose(sql -> {
            Future<Transaction> begun = sql.begin();
            Future<RowSet<Row>> locked = sql.query(TAKE_LOCK).execute();
            Future<RowSet<Row>> numbered = sql.preparedQuery(SEQUENCE).execute(Tuple.of(MAX_BATCH, Epochs.fresh()));
            return begun.compose(tx -> Future.all(locked, numbered)
                            .compose(done -> tx.commit())
                            .map(committed -> sequenced(numbered.result()))
                            .recover(failure -> tx.rollback().transform(rolledBack -> Future.<List<Sequenced>>failedFuture(failure))))
                    .eventually(sql::close);
        }).onSuccess(events -> {
            if (!events.isEmpty()) {
                publisher.accept(events);
            }
        }).map(List::size);
    }

    private static List<Sequenced> sequenced(RowSet<Row> rows) {
        List<Sequenced> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            events.add(new Sequenced(row.getLong("id"), new StreamEvent(row.getUUID("recipient_id"),
                    row.getString("epoch"), row.getLong("offset"), row.getString("type"),
                    (JsonObject) row.getValue("data"), row.getOffsetDateTime("created_at").toInstant())));
        }
        return events;
    }
}

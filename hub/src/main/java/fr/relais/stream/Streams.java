package fr.relais.stream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-recipient event streams: the public API through which every feature tells people that something
 * happened. Write and append in one transaction with {@link #withTransaction}; after the commit the events
 * are published once on the event bus ({@value #ADDRESS}), already encoded, for the gateways to write to sockets.
 * Clients that were away read what they missed with {@link #replay}.
 */
public final class Streams {
    /** Event-bus address of committed events: body = the encoded frame; headers = recipient, offset, epoch, committedAt. */
    public static final String ADDRESS = "relais.stream.events";
    private static final Logger LOG = LoggerFactory.getLogger(Streams.class);
    private static final int ATTEMPTS = 3;
    private static final Set<String> RETRYABLE = Set.of("40P01", "40001"); // deadlock, serialization
    /** How often a node numbers what no wake-up announced (see {@link #sweep}). */
    public static final Duration SWEEP_EVERY = Duration.ofMillis(500);
    private final Vertx vertx;
    private final Pool pool;
    private final Clock clock;
    private final StreamSequencer sequencer;
    private final StreamBacklog backlog;
    private final StreamReads reads;
    private final AppendBatcher batcher = new AppendBatcher(this);
    private final NumberingWaiters waiters = new NumberingWaiters();
    private final AtomicLong retries = new AtomicLong();
    private final Map<String, List<Consumer<StreamEvent>>> subscribers = new ConcurrentHashMap<>();

    private static final String ERASE_MENTIONS = """
            UPDATE %s e
            SET data = (SELECT jsonb_object_agg(j.key, CASE WHEN j.value = to_jsonb($1::text) OR j.key = 'patientName'
                                                            THEN 'null'::jsonb ELSE j.value END)
                        FROM jsonb_each(e.data) AS j)
            WHERE (e.recipient_id = ANY($2)
                   OR e.recipient_id IN (SELECT m.recipient_id FROM stream_mention m WHERE m.person_id = ($1::text)::uuid))
              AND EXISTS (SELECT 1 FROM jsonb_each(e.data) AS j WHERE j.value = to_jsonb($1::text))""";

    public Streams(Vertx vertx, Pool pool, Clock clock) {
        this(vertx, pool, pool, clock);
    }

    /**
     * {@code sequencerPool} serves the sequencer alone (one connection is enough: one batch at a time), so that
     * numbering never waits behind requests for a connection of {@code pool}.
     */
    public Streams(Vertx vertx, Pool pool, Pool sequencerPool, Clock clock) {
        this.vertx = vertx;
        this.pool = pool;
        this.clock = clock;
        this.sequencer = new StreamSequencer(vertx, sequencerPool, this::publish);
        this.backlog = new StreamBacklog(pool);
        this.reads = new StreamReads(pool);
    }

    /** Starts numbering: what was left before this node started, and the completion of writes and appends numbered on any node. */
    public void start() {
        waiters.start(vertx, this::stillInOutbox);
        sequencer.wake(); // what was committed before this node started
    }

    /**
     * Numbers what no wake-up announced: the events a node killed between its commit and its sequencer's batch left
     * in the outbox (a job of the hub, every {@link #SWEEP_EVERY}); how many events it numbered.
     */
    public Future<Integer> sweep() {
        return sequencer.sweep();
    }

    private Future<Set<Long>> stillInOutbox(List<Long> outboxIds) {
        return pool.preparedQuery("SELECT id FROM stream_outbox WHERE id = ANY($1)")
                .execute(Tuple.of(outboxIds.toArray(Long[]::new)))
                .map(rows -> {
                    Set<Long> ids = new HashSet<>();
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    return ids;
                });
    }

    public Future<Void> stop() {
        return waiters.stop();
    }

    /**
     * Runs {@code work} in a transaction; the events it appended are written to the outbox just before the
     * commit, then numbered and published by the sequencer. The future completes once they are numbered, so
     * whoever is answered the write finds its events in the streams (a subscription without a cursor made then does
     * not deliver them, {@code stream.position} counts them). A transaction that PostgreSQL aborts as a deadlock
     * victim or a serialization failure rolled back entirely, so {@code work} runs again in a new one (at most
     * {@value #ATTEMPTS} times): {@code work} must only write through the transaction it is given. So does one
     * that lost the race for an idempotency key (a unique index named {@code *_idempotency}) to the same request
     * sent at the same moment: run again, it finds the winner's result, as a later retry would.
     */
    public <T> Future<T> withTransaction(Function<StreamTransaction, Future<T>> work) {
        List<Future<StreamEvent>> numbers = new ArrayList<>();
        return attempt(work, 1, numbers).compose(result -> answeredOnceNumbered(result, numbers));
    }

    private static <T> Future<T> answeredOnceNumbered(T result, List<Future<StreamEvent>> numbers) {
        return numbers.isEmpty() ? Future.succeededFuture(result) : Future.all(numbers).transform(numbered -> {
            if (numbered.failed()) { // committed all the same: its events get their offsets later (the sweep)
                LOG.warn("a committed write is answered before its events were numbered: {}", numbered.cause().toString());
            }
            return Future.succeededFuture(result);
        });
    }

    /** Like {@link #withTransaction}; {@code numbers} gets one future per appended event, completed once it is numbered. */
    <T> Future<T> withTransaction(Function<StreamTransaction, Future<T>> work, List<Future<StreamEvent>> numbers) {
        return attempt(work, 1, numbers);
    }

    private <T> Future<T> attempt(Function<StreamTransaction, Future<T>> work, int attempt, List<Future<StreamEvent>> numbers) {
        boolean[] appended = new boolean[1];
        return pool.getConnection().compose(sql -> {
            // the work's first statements follow the BEGIN without waiting for it: the connection sends every
            // statement of an open transaction inside it, in order (one round trip less per write)
            Future<Transaction> begun = sql.begin();
            StreamTransaction tx = new StreamTransaction(sql, clock);
            Future<T> worked = applied(work, tx);
            return begun.compose(transaction -> worked.compose(result -> {
                appended[0] = !tx.isEmpty();
                // the outbox write follows what the feature sent without waiting (one round trip), then the COMMIT
                waiters.expectIds();
                Future<List<Long>> ids = tx.flush();
                Future<Void> commit = transaction.commit();
                List<Future<?>> all = new ArrayList<>(tx.sentWithCommit());
                all.add(ids);
                all.add(commit);
                return Future.all(all).onComplete(committed -> waiters.await(ids.result(), numbers), failed -> waiters.lost())
                        .map(result);
            }).recover(failure -> transaction.rollback().transform(rolledBack -> Future.<T>failedFuture(failure))))
                    .eventually(sql::close);
        }).onSuccess(result -> {
            if (appended[0]) {
                sequencer.wake();
            }
        }).recover(failure -> {
            numbers.clear();
            return runAgain(attempt, failure) ? attempt(work, attempt + 1, numbers) : Future.failedFuture(failure);
        });
    }

    /**
     * A write done in one statement (committed on its own, one round trip) that adds its events to the outbox
     * itself, with {@link #outboxInsert}: {@code outboxIds} reads their ids from the statement's result. Completes
     * once they are numbered. Run again, like {@link #withTransaction}, if PostgreSQL aborted it as a deadlock
     * victim or it lost the race for an idempotency key.
     */
    public <T> Future<T> writeAlone(Function<Pool, Future<T>> statement, Function<T, List<Long>> outboxIds) {
        return writeAlone(statement, outboxIds, 1);
    }

    private <T> Future<T> writeAlone(Function<Pool, Future<T>> statement, Function<T, List<Long>> outboxIds, int attempt) {
        List<Future<StreamEvent>> numbers = new ArrayList<>();
        waiters.expectIds(); // another node may number the events before this one reads their ids
        return applied(statement, pool).transform(done -> {
            if (done.failed()) {
                waiters.lost();
                return runAgain(attempt, done.cause()) ? writeAlone(statement, outboxIds, attempt + 1)
                        : Future.failedFuture(done.cause());
            }
            List<Long> ids = outboxIds.apply(done.result());
            waiters.await(ids, numbers);
            if (!ids.isEmpty()) {
                sequencer.wake();
            }
            return answeredOnceNumbered(done.result(), numbers);
        });
    }

    /**
     * The statement that adds events to the outbox from a feature's own statement: {@code select} yields rows of
     * (recipient uuid, type text, data jsonb, time timestamptz, see {@link #eventTime}); it returns their ids.
     */
    public static String outboxInsert(String select) {
        return "INSERT INTO stream_outbox (recipient_id, type, data, created_at) " + select + " RETURNING id";
    }

    /**
     * SQL true when the stream of {@code recipient} has events after {@code offset} of the history {@code epoch}, or
     * began a new history (columns or parameters): for a consumer that keeps its own cursor.
     */
    public static String hasEventsAfterSql(String recipient, String offset, String epoch) {
        return "EXISTS (SELECT 1 FROM stream s WHERE s.recipient_id = %s AND (s.head > %s OR s.epoch <> %s))"
                .formatted(recipient, offset, epoch);
    }

    /** The time to give events written now. */
    public OffsetDateTime eventTime() {
        return StreamTransaction.timeNow(clock);
    }

    /** {@code write} applied to {@code target}; a check that throws (a bad field) fails the write like a failed future. */
    private static <A, T> Future<T> applied(Function<A, Future<T>> write, A target) {
        try {
            return write.apply(target);
        } catch (RuntimeException refused) {
            return Future.failedFuture(refused);
        }
    }

    /** Whether a write that failed so on its {@code attempt}-th try runs again (counted in {@link #retriedTransactions}). */
    private boolean runAgain(int attempt, Throwable failure) {
        boolean again = attempt < ATTEMPTS && failure instanceof PgException pg && (RETRYABLE.contains(pg.getSqlState())
                || "23505".equals(pg.getSqlState()) && pg.getConstraint() != null && pg.getConstraint().endsWith("_idempotency"));
        if (again) {
            retries.incrementAndGet();
        }
        return again;
    }

    /** How many writes were run again after a deadlock, a serialization failure or a lost idempotency race. */
    public long retriedTransactions() {
        return retries.get();
    }

    /** What nobody acknowledged, for consumers that act on missed events. */
    public StreamBacklog backlog() {
        return backlog;
    }

    /** What recipients have read of their streams (the notification centre). */
    public StreamReads reads() {
        return reads;
    }

    /** The pool the streams write with, for reads that need no transaction. */
    public Pool pool() {
        return pool;
    }

    /**
     * Appends one event that goes with no other write; the future completes once the event is numbered. Appends
     * made at the same moment are written together (see {@link AppendBatcher}), and one recipient's keep the
     * order of the calls.
     */
    public Future<StreamEvent> append(UUID recipient, String type, JsonObject data) {
        return batcher.append(recipient, type, data);
    }

    /**
     * Calls {@code subscriber} with every committed event of {@code type}, once in the cluster: on the node whose
     * sequencer numbered it, right after publishing it. Delivery is at most once (a node that dies between its
     * batch and the call loses the call), so a subscriber whose work must not be missed also catches up
     * periodically, as agenda's planner does.
     */
    public void onCommitted(String type, Consumer<StreamEvent> subscriber) {
        subscribers.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    private void publish(List<StreamSequencer.Sequenced> events) {
        long committedAt = System.nanoTime();
        for (StreamSequencer.Sequenced sequenced : events) {
            StreamEvent event = sequenced.event();
            DeliveryOptions headers = new DeliveryOptions()
                    .addHeader("recipient", event.recipient().toString())
                    .addHeader("offset", Long.toString(event.offset()))
                    .addHeader("epoch", event.epoch())
                    .addHeader("committedAt", Long.toString(committedAt))
                    .addHeader("outbox", Long.toString(sequenced.outboxId()));
            vertx.eventBus().publish(ADDRESS, event.toFrame(), headers);
        }
        for (StreamSequencer.Sequenced sequenced : events) {
            List<Consumer<StreamEvent>> interested = subscribers.get(sequenced.event().type());
            if (interested != null) {
                for (Consumer<StreamEvent> subscriber : interested) {
                    try {
                        subscriber.accept(sequenced.event());
                    } catch (RuntimeException e) { // one subscriber's fault must not keep the others from their events
                        LOG.warn("a subscriber to {} failed: {}", sequenced.event().type(), e.toString());
                    }
                }
            }
        }
    }

    public Future<StreamPosition> position(UUID recipient) {
        return pool.preparedQuery("SELECT epoch, head, first_retained, acked FROM stream WHERE recipient_id = $1")
                .execute(Tuple.of(recipient))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return StreamPosition.EMPTY;
                    }
                    Row row = rows.iterator().next();
                    return new StreamPosition(row.getString("epoch"), row.getLong("head"), row.getLong("first_retained"),
                            row.getLong("acked"));
                });
    }

    /** Up to {@code limit} events with offsets in ({@code after}, {@code upTo}], oldest first. */
    public Future<List<StreamEvent>> replay(UUID recipient, long after, long upTo, int limit) {
        return pool.preparedQuery("""
                        SELECT s.epoch, e."offset", e.type, e.data, e.created_at
                        FROM stream_event e JOIN stream s ON s.recipient_id = e.recipient_id
                        WHERE e.recipient_id = $1 AND e."offset" > $2 AND e."offset" <= $3
                        ORDER BY e."offset" LIMIT $4""")
                .execute(Tuple.of(recipient, after, upTo, limit))
                .map(rows -> {
                    List<StreamEvent> events = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        events.add(new StreamEvent(recipient, row.getString("epoch"), row.getLong("offset"),
                                row.getString("type"), (JsonObject) row.getValue("data"),
                                row.getOffsetDateTime("created_at").toInstant()));
                    }
                    return events;
                });
    }

    /** Records that a client of {@code recipient} has everything up to {@code offset}; never moves backwards. */
    public Future<Void> acknowledge(UUID recipient, long offset) {
        return pool.preparedQuery("""
                        UPDATE stream SET acked = $2, acked_at = now()
                        WHERE recipient_id = $1 AND acked < $2 AND $2 <= head""")
                .execute(Tuple.of(recipient, offset))
                .mapEmpty();
    }

    /**
     * Deletes a person's stream (their space was closed: a new one would start at a new epoch) and takes their id
     * out of the events kept in {@code mentionedIn}'s streams and in the streams of everyone an event named them to
     * under {@code patientId} (remembered in {@code stream_mention} as it was written). In an event that names
     * them, every top-level value equal to their id becomes null, and so does {@code patientName} (the only key
     * events carry a patient's name under); those events keep their offsets, so cursors and replays stay whole.
     * No batch runs until {@code tx} ends, so the closing transaction sends this last, all at once: the sequencer
     * is held off for this round trip and the COMMIT only.
     */
    public static Future<Void> deleteStreamOf(SqlClient tx, UUID person, Collection<UUID> mentionedIn) {
        List<Future<?>> sent = new ArrayList<>();
        sent.add(StreamSequencer.holdOff(tx));
        Tuple args = Tuple.tuple().addString(person.toString()).addArrayOfUUID(mentionedIn.toArray(UUID[]::new));
        // events not numbered yet are erased in the outbox, the others in the streams
        sent.add(tx.preparedQuery(ERASE_MENTIONS.formatted("stream_outbox")).execute(args));
        sent.add(tx.preparedQuery(ERASE_MENTIONS.formatted("stream_event")).execute(args));
        sent.add(tx.preparedQuery("DELETE FROM stream_mention WHERE person_id = $1 OR recipient_id = $1").execute(Tuple.of(person)));
        // the outbox first, so nothing is numbered into a deleted stream
        sent.add(tx.preparedQuery("DELETE FROM stream_outbox WHERE recipient_id = $1").execute(Tuple.of(person)));
        sent.add(tx.preparedQuery("DELETE FROM stream WHERE recipient_id = $1").execute(Tuple.of(person)));
        return Future.all(sent).mapEmpty();
    }
}

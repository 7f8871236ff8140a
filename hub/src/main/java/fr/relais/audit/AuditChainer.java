package fr.relais.audit;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves pending events into the chains: every {@link #TICK}, and as soon as an event is appended on its own. One
 * batch at a time in the whole cluster (a transaction-scoped advisory lock; a node that finds it taken leaves the work
 * to the holder), in one transaction per batch: the events in the order they were appended, their MACs checked, the
 * heads of their chains read and locked, the rows hashed in Java exactly as {@link AuditChain} always hashed them and
 * inserted, the heads moved, the events removed from {@code audit_pending}. An event whose MAC does not match is never
 * chained: it moves to {@code audit_quarantine}, is logged, and {@code relais audit verify} reports it. Reactive SQL
 * only: nothing blocks the event loop.
 */
final class AuditChainer {
    private static final Logger log = LoggerFactory.getLogger(AuditChainer.class);
    static final Duration TICK = Duration.ofMillis(200);
    static final int BATCH = 500;

    private record Head(long seq, byte[] hash) {
    }

    private record Taken(int events, List<UUID> rejected) {
        static final Taken NONE = new Taken(0, List.of());
    }

    private final Pool pool;
    private final AuditChain hashes;
    private final PendingSeal seal;
    private final AtomicBoolean chaining = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private volatile boolean running;
    private volatile boolean failing; // written by one batch at a time

    AuditChainer(Pool pool, AuditChain hashes, PendingSeal seal) {
        this.pool = pool;
        this.hashes = hashes;
        this.seal = seal;
    }

    void start() {
        running = true;
    }

    void stop() {
        running = false;
    }

    /** Chains soon: now if no batch of this node is running, else right after it. Does nothing unless started. */
    void wake() {
        if (!running) {
            return;
        }
        wanted.set(true);
        if (chaining.compareAndSet(false, true)) {
            drain();
        }
    }

    private void drain() {
        wanted.set(false);
        chainBatch().onComplete(done -> {
            if (running) { // a batch cut short by the pool closing at shutdown is no news
                report(done.failed() ? done.cause() : null);
            }
            boolean full = done.succeeded() && done.result() == BATCH;
            if (running && (full || wanted.get())) {
                drain();
                return;
            }
            chaining.set(false);
            if (running && wanted.get() && chaining.compareAndSet(false, true)) {
                drain(); // woken between the check above and the release
            }
        });
    }

    /** Logs when chaining starts failing and when it works again, not at every tick in between. */
    private void report(Throwable failure) {
        if (failure != null && !failing) {
            log.warn("audit chaining failed, events stay pending until it works again: {}", failure.getMessage());
        } else if (failure == null && failing) {
            log.info("audit chaining works again");
        }
        failing = failure != null;
    }

    /** Chains one batch; returns how many pending events it took (0 if none, or if another node is chaining). */
    Future<Integer> chainBatch() {
        return pool.withTransaction(tx -> tx.query("""
                                SELECT pg_try_advisory_xact_lock(hashtext('relais.audit.chain')) AS mine,
                                       set_config('relais.audit_chainer', 'on', true)""").execute()
                        .compose(lock -> lock.iterator().next().getBoolean("mine") ? take(tx) : Future.succeededFuture(Taken.NONE)))
                .onSuccess(taken -> taken.rejected().forEach(id -> log.error("audit event {} kept out of the chains: its MAC "
                        + "does not match, so it was altered or forged in the database; it is in audit_quarantine", id)))
                .map(Taken::events);
    }

    private Future<Taken> take(SqlConnection tx) {
        return tx.preparedQuery("SELECT " + PendingEvent.COLUMNS + " FROM audit_pending ORDER BY position LIMIT $1 FOR UPDATE")
                .execute(Tuple.of(BATCH))
                .compose(rows -> {
                    List<PendingEvent> sound = new ArrayList<>();
                    List<UUID> taken = new ArrayList<>();
                    List<UUID> rejected = new ArrayList<>();
                    for (Row row : rows) {
                        UUID id = row.getUUID("id");
                        taken.add(id);
                        PendingEvent pending = readable(row);
                        if (pending != null && seal.holds(pending)) {
                            sound.add(pending);
                        } else {
                            rejected.add(id);
                        }
                    }
                    if (taken.isEmpty()) {
                        return Future.succeededFuture(Taken.NONE);
                    }
                    return chain(tx, sound).compose(v -> remove(tx, taken, rejected)).map(new Taken(taken.size(), rejected));
                });
    }

    private static PendingEvent readable(Row row) {
        try {
            return PendingEvent.from(row);
        } catch (RuntimeException notAnEvent) { // e.g. details that are not a JSON object
            return null;
        }
    }

    private Future<Void> chain(SqlConnection tx, List<PendingEvent> events) {
        if (events.isEmpty()) {
            return Future.succeededFuture();
        }
        Short[] chains = events.stream().map(e -> AuditChain.chainOf(e.event())).distinct().sorted().toArray(Short[]::new);
        return tx.preparedQuery("SELECT chain, seq, hash FROM audit_head WHERE chain = ANY($1) ORDER BY chain FOR UPDATE")
                .execute(Tuple.tuple().addValue(chains))
                .compose(rows -> {
                    Map<Short, Head> heads = new TreeMap<>();
                    rows.forEach(row -> heads.put(row.getShort("chain"), new Head(row.getLong("seq"), row.getBuffer("hash").getBytes())));
                    List<Tuple> logged = new ArrayList<>();
                    for (PendingEvent pending : events) {
                        short chain = AuditChain.chainOf(pending.event());
                        Head head = heads.get(chain);
                        long seq = head.seq() + 1;
                        byte[] hash = hashes.hash(AuditChain.KEYED, head.hash(), chain, seq, pending.at(), pending.event());
                        logged.add(row(chain, seq, pending, head.hash(), hash));
                        heads.put(chain, new Head(seq, hash));
                    }
                    List<Tuple> moved = new ArrayList<>();
                    heads.forEach((chain, head) -> moved.add(Tuple.of(chain, head.seq(), Buffer.buffer(head.hash()))));
                    return tx.preparedQuery("""
                                    INSERT INTO audit_log (chain, seq, at, actor_kind, actor_id, action, outcome, patient_id, ip,
                                                           details, prev_hash, hash, alg)
                                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""")
                            .executeBatch(logged)
                            .compose(v -> tx.preparedQuery("UPDATE audit_head SET seq = $2, hash = $3 WHERE chain = $1")
                                    .executeBatch(moved))
                            .mapEmpty();
                });
    }

    private static Tuple row(short chain, long seq, PendingEvent pending, byte[] previous, byte[] hash) {
        AuditEvent event = pending.event();
        return Tuple.tuple()
                .addShort(chain).addLong(seq).addOffsetDateTime(OffsetDateTime.ofInstant(pending.at(), ZoneOffset.UTC))
                .addString(event.actorKind()).addString(event.actorId())
                .addString(event.action()).addString(event.outcome())
                .addUUID(event.patientId()).addString(event.ip())
                .addValue(event.details())
                .addBuffer(Buffer.buffer(previous))
                .addBuffer(Buffer.buffer(hash))
                .addShort(AuditChain.KEYED);
    }

    /** Removes the batch from {@code audit_pending}, keeping the rejected events in {@code audit_quarantine}. */
    private static Future<Void> remove(SqlConnection tx, List<UUID> taken, List<UUID> rejected) {
        return tx.preparedQuery("""
                        WITH removed AS (DELETE FROM audit_pending WHERE id = ANY($1) RETURNING *)
                        INSERT INTO audit_quarantine (id, position, at, actor_kind, actor_id, action, outcome, patient_id, ip,
                                                      details, mac)
                        SELECT id, position, at, actor_kind, actor_id, action, outcome, patient_id, ip, details, mac
                        FROM removed WHERE id = ANY($2)""")
                .execute(Tuple.tuple().addValue(taken.toArray(UUID[]::new)).addValue(rejected.toArray(UUID[]::new)))
                .mapEmpty();
    }
}

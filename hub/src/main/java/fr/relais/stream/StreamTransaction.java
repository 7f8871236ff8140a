package fr.relais.stream;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * A database transaction in which features write their rows and add the events those writes cause. The events
 * are written to the outbox in one statement just before the commit, so they exist if and only if the
 * transaction commits; the sequencer then numbers them and publishes them to sockets. Adding an event takes no
 * lock and costs no round trip.
 */
public final class StreamTransaction {
    private record Pending(UUID recipient, String type, JsonObject data, OffsetDateTime time) {
    }

    private final SqlConnection sql;
    private final Clock clock;
    private final List<Pending> pending = new ArrayList<>();
    private final List<Future<?>> alongWithCommit = new ArrayList<>();
    /** The outbox ids of the events written so far, in the order written. */
    private final List<Future<List<Long>>> written = new ArrayList<>();

    StreamTransaction(SqlConnection sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** The connection of the transaction, for the feature's own statements. */
    public SqlConnection sql() {
        return sql;
    }

    /**
     * Adds an event for {@code recipient}: it is written with this transaction and numbered after its commit. A
     * recipient's events from one transaction keep the order in which they were added.
     */
    public Future<Void> append(UUID recipient, String type, JsonObject data) {
        if (recipient == null || type == null || data == null) {
            return Future.failedFuture(new IllegalArgumentException("an event needs a recipient, a type and data"));
        }
        pending.add(new Pending(recipient, type, data, timeNow(clock)));
        return Future.succeededFuture();
    }

    /** An event's time: PostgreSQL keeps microseconds, and the time sent live must be the one replayed later. */
    static OffsetDateTime timeNow(Clock clock) {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Adds one event per recipient, in their order; {@code data} gives each recipient's. */
    public Future<Void> appendToEach(List<UUID> recipients, String type, Function<UUID, JsonObject> data) {
        for (UUID recipient : recipients) {
            Future<Void> added = append(recipient, type, data.apply(recipient));
            if (added.failed()) {
                return added;
            }
        }
        return Future.succeededFuture();
    }

    /**
     * Sends the events added so far to the outbox now (not waited for): a feature calls it before a statement that
     * writes events itself ({@link Streams#outboxInsert}), so that a recipient's events keep the order of the writes.
     */
    public void writeAddedNow() {
        if (!pending.isEmpty()) {
            written.add(insert(new ArrayList<>(pending)));
            pending.clear();
        }
    }

    /**
     * Events the feature's own statement wrote to the outbox, by the ids it returned: the transaction completes
     * once they too are numbered.
     */
    public void written(List<Long> outboxIds) {
        written.add(Future.succeededFuture(outboxIds));
    }

    /**
     * A statement the feature sent on {@link #sql()} and does not wait for: the outbox write is sent right behind it
     * (pipelined, one round trip for both), then the COMMIT; the transaction fails if it fails.
     */
    public void sendWithCommit(Future<?> statement) {
        alongWithCommit.add(statement);
    }

    List<Future<?>> sentWithCommit() {
        return alongWithCommit;
    }

    boolean isEmpty() {
        return pending.isEmpty() && written.isEmpty();
    }

    /**
     * Writes the events added and not written yet to the outbox, in one statement; the outbox ids of all the
     * transaction's events, in the order they were written.
     */
    Future<List<Long>> flush() {
        writeAddedNow();
        return Future.all(written).map(all -> {
            List<Long> ids = new ArrayList<>();
            written.forEach(batch -> ids.addAll(batch.result()));
            return ids;
        });
    }

    private Future<List<Long>> insert(List<Pending> events) {
        int n = events.size();
        UUID[] recipients = new UUID[n];
        String[] types = new String[n];
        JsonObject[] data = new JsonObject[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Pending event = events.get(i);
            recipients[i] = event.recipient();
            types[i] = event.type();
            data[i] = event.data();
            times[i] = event.time();
        }
        // an event that names another person (patientId) is remembered, for that person's closed space to erase it
        return sql.preparedQuery("""
                        WITH e AS (SELECT r, t, d, c, i
                                   FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[]) WITH ORDINALITY
                                        AS e(r, t, d, c, i)),
                        mentioned AS (
                            INSERT INTO stream_mention (person_id, recipient_id)
                            SELECT DISTINCT (d->>'patientId')::uuid, r FROM e
                            WHERE d->>'patientId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                              AND d->>'patientId' <> r::text
                            ON CONFLICT DO NOTHING)
                        INSERT INTO stream_outbox (recipient_id, type, data, created_at)
                        SELECT r, t, d, c FROM e ORDER BY i
                        RETURNING id""")
                .execute(Tuple.tuple().addArrayOfUUID(recipients).addArrayOfString(types).addArrayOfJsonObject(data)
                        .addArrayOfOffsetDateTime(times))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>(n);
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    return ids;
                });
    }
}

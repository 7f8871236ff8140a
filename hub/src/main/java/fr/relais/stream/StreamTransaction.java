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
        // PostgreSQL keeps microseconds: the time sent live must be the one replayed later, to the same digit
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        pending.add(new Pending(recipient, type, data, now));
        return Future.succeededFuture();
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
        return pending.isEmpty();
    }

    /** Writes the events added so far to the outbox, in one statement; their outbox ids, in the order added. */
    Future<List<Long>> flush() {
        if (pending.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        int n = pending.size();
        UUID[] recipients = new UUID[n];
        String[] types = new String[n];
        JsonObject[] data = new JsonObject[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Pending event = pending.get(i);
            recipients[i] = event.recipient();
            types[i] = event.type();
            data[i] = event.data();
            times[i] = event.time();
        }
        pending.clear();
        return sql.preparedQuery("""
                        INSERT INTO stream_outbox (recipient_id, type, data, created_at)
                        SELECT r, t, d, c FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[]) WITH ORDINALITY
                                                AS e(r, t, d, c, i)
                        ORDER BY i
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

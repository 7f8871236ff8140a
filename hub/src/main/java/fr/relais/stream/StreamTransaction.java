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
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A database transaction in which features write their rows and append the events those writes cause. The
 * events exist if and only if the transaction commits; they are published to sockets after the commit.
 */
public final class StreamTransaction {
    /**
     * The order in which one transaction appends to several recipients: PostgreSQL's order of {@code uuid} (the
     * text order of the canonical form, not {@link UUID#compareTo}). Each append locks its recipient's stream row
     * until the end of the transaction; taking those locks in one order everywhere keeps two writers from
     * waiting on each other.
     */
    public static final Comparator<UUID> LOCK_ORDER = Comparator.comparing(UUID::toString);

    private final SqlConnection sql;
    private final Clock clock;
    private final List<StreamEvent> appended = new ArrayList<>();

    StreamTransaction(SqlConnection sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** The connection of the transaction, for the feature's own statements. */
    public SqlConnection sql() {
        return sql;
    }

    /**
     * Appends an event to {@code recipient}'s stream and returns it with its offset. The stream row stays locked
     * until the transaction ends: appends to one recipient commit one after the other, so offsets follow commit
     * order and a rolled-back append leaves no gap.
     */
    public Future<StreamEvent> append(UUID recipient, String type, JsonObject data) {
        // PostgreSQL keeps microseconds: the time sent live must be the one replayed later, to the same digit
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        return sql.preparedQuery("""
                        INSERT INTO stream (recipient_id, epoch, head) VALUES ($1, $2, 1)
                        ON CONFLICT (recipient_id) DO UPDATE SET head = stream.head + 1
                        RETURNING epoch, head""")
                .execute(Tuple.of(recipient, Epochs.fresh()))
                .compose(rows -> {
                    var row = rows.iterator().next();
                    StreamEvent event = new StreamEvent(recipient, row.getString("epoch"), row.getLong("head"), type,
                            data, now.toInstant());
                    return sql.preparedQuery("""
                                    INSERT INTO stream_event (recipient_id, "offset", type, data, created_at)
                                    VALUES ($1, $2, $3, $4, $5)""")
                            .execute(Tuple.of(recipient, event.offset(), type, data, now))
                            .map(v -> {
                                appended.add(event);
                                return event;
                            });
                });
    }

    List<StreamEvent> appended() {
        return appended;
    }
}

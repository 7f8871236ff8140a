package fr.relais.stream;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What nobody acknowledged, for consumers that act on events people missed (the digest emails): the recipients
 * with events past both what their clients acknowledged and what the consumer already covered, those events, and
 * the consumer's own cursor, which it moves in its own transaction.
 */
public final class StreamBacklog {
    /** A recipient with missed events: every event after {@code since} is neither acknowledged nor covered. */
    public record Recipient(UUID id, long since) {
    }

    /** One missed event: its offset, type, when it was written, and whether the recipient did it (never its data). */
    public record Missed(long offset, String type, Instant createdAt, boolean own) {
    }

    private final Pool pool;

    StreamBacklog(Pool pool) {
        this.pool = pool;
    }

    /**
     * Up to {@code limit} recipients after {@code after} (by id, for paging; null for the first page) who have events
     * created at or before {@code olderThan} that neither a client acknowledged nor {@code consumer} covered.
     */
    public Future<List<Recipient>> recipients(String consumer, Instant olderThan, UUID after, int limit) {
        return pool.preparedQuery("""
                        SELECT s.recipient_id, GREATEST(s.acked, COALESCE(c.covered, 0)) AS since
                        FROM stream s LEFT JOIN stream_consumer c ON c.recipient_id = s.recipient_id AND c.consumer = $1
                        WHERE s.head > GREATEST(s.acked, COALESCE(c.covered, 0)) AND s.recipient_id > $3
                          AND EXISTS (SELECT 1 FROM stream_event e WHERE e.recipient_id = s.recipient_id
                                        AND e."offset" > GREATEST(s.acked, COALESCE(c.covered, 0)) AND e.created_at <= $2)
                        ORDER BY s.recipient_id LIMIT $4""")
                .execute(Tuple.of(consumer, utc(olderThan), after == null ? new UUID(0, 0) : after, limit))
                .map(rows -> {
                    List<Recipient> found = new ArrayList<>(rows.size());
                    rows.forEach(row -> found.add(new Recipient(row.getUUID("recipient_id"), row.getLong("since"))));
                    return found;
                });
    }

    /**
     * The recipient's events after {@code after}, in offset order, up to the first one created after
     * {@code olderThan}: an event numbered later may carry an earlier time (its transaction committed late), and
     * covering up to an offset must never skip a newer event below it.
     */
    public static Future<List<Missed>> events(SqlClient sql, UUID recipient, long after, Instant olderThan) {
        return sql.preparedQuery("""
                        SELECT "offset", type, created_at, created_at <= $3 AS old_enough,""" + " " + StreamReads.ACTOR
                        + " = recipient_id::text AS own " + """
                        FROM stream_event e WHERE recipient_id = $1 AND "offset" > $2 ORDER BY "offset" """)
                .execute(Tuple.of(recipient, after, utc(olderThan)))
                .map(rows -> {
                    List<Missed> events = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        if (!row.getBoolean("old_enough")) {
                            break;
                        }
                        events.add(new Missed(row.getLong("offset"), row.getString("type"),
                                row.getOffsetDateTime("created_at").toInstant(), row.getBoolean("own")));
                    }
                    return events;
                });
    }

    /** Records, in the caller's transaction, that {@code consumer} has dealt with the recipient's events up to {@code upTo}. */
    public static Future<Void> cover(SqlClient tx, String consumer, UUID recipient, long upTo) {
        return tx.preparedQuery("""
                        INSERT INTO stream_consumer (consumer, recipient_id, covered) VALUES ($1, $2, $3)
                        ON CONFLICT (consumer, recipient_id) DO UPDATE SET covered = GREATEST(stream_consumer.covered, $3)""")
                .execute(Tuple.of(consumer, recipient, upTo))
                .mapEmpty();
    }

    /** Up to which offset the recipient's clients acknowledged their events, and how far each consumer covered them. */
    public record Position(long acked, Map<String, Long> covered) {
        /** How far {@code consumer} has dealt with the recipient's events (0: not at all). */
        public long covered(String consumer) {
            return covered.getOrDefault(consumer, 0L);
        }
    }

    /** The recipient's position for {@code consumers}, in one round trip. */
    public static Future<Position> position(SqlClient sql, UUID recipient, String... consumers) {
        return sql.preparedQuery("""
                        SELECT COALESCE((SELECT acked FROM stream WHERE recipient_id = $1), 0) AS acked,
                               (SELECT json_object_agg(consumer, covered) FROM stream_consumer
                                WHERE recipient_id = $1 AND consumer = ANY($2)) AS covered""")
                .execute(Tuple.tuple().addUUID(recipient).addArrayOfString(consumers))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Map<String, Long> covered = new HashMap<>();
                    if (row.getValue("covered") instanceof JsonObject all) {
                        all.forEach(e -> covered.put(e.getKey(), ((Number) e.getValue()).longValue()));
                    }
                    return new Position(row.getLong("acked"), covered);
                });
    }

    /** Whether a client of the recipient acknowledged every event up to {@code offset}. */
    public Future<Boolean> acknowledged(UUID recipient, long offset) {
        return position(pool, recipient).map(position -> position.acked() >= offset);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

package fr.relais.stream;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What a recipient has read of their stream (not what their clients received: that is the acknowledgement):
 * everything up to a mark, and events above it one by one; and the events they put away (archived). Read newest first, filtered to chosen types and without
 * the recipient's own acts: an event's actor is its {@code actorId}, {@code senderId} or {@code closedBy}.
 */
public final class StreamReads {
    /** One event and whether its recipient read it. */
    public record Entry(StreamEvent event, boolean read) {
    }

    /** The SQL of an event's actor ({@code e}: a row of {@code stream_event}), or '' for an event nobody did. */
    static final String ACTOR = "COALESCE(e.data->>'actorId', e.data->>'senderId', e.data->>'closedBy', '')";

    private static final String SELECT = """
            SELECT s.recipient_id, s.epoch, e."offset", e.type, e.data, e.created_at,
                   e."offset" <= COALESCE(w.up_to, 0) OR r."offset" IS NOT NULL AS read
            FROM stream s JOIN stream_event e ON e.recipient_id = s.recipient_id
              LEFT JOIN stream_read w ON w.recipient_id = s.recipient_id
              LEFT JOIN stream_event_read r ON r.recipient_id = e.recipient_id AND r."offset" = e."offset"
              LEFT JOIN stream_event_archived x ON x.recipient_id = e.recipient_id AND x."offset" = e."offset"
            WHERE s.recipient_id = $1 AND e.type = ANY($2) AND e."offset" < $3
            """ + " AND " + ACTOR + " <> $4 ";

    private final Pool pool;

    StreamReads(Pool pool) {
        this.pool = pool;
    }

    /**
     * Up to {@code limit} events of {@code types} below {@code before}, newest first: those put away if
     * {@code archived}, else the others; only unread ones if asked.
     */
    public Future<List<Entry>> page(UUID recipient, Set<String> types, long before, int limit, boolean unreadOnly,
                                    boolean archived) {
        String unread = unreadOnly ? " AND e.\"offset\" > COALESCE(w.up_to, 0) AND r.\"offset\" IS NULL" : "";
        String away = archived ? " AND x.\"offset\" IS NOT NULL" : " AND x.\"offset\" IS NULL";
        return pool.preparedQuery(SELECT + unread + away + " ORDER BY e.\"offset\" DESC LIMIT $5")
                .execute(Tuple.of(recipient, types.toArray(String[]::new), before, recipient.toString(), limit))
                .map(StreamReads::entries);
    }

    /** Those of the events at {@code offsets} that are of {@code types} and not the recipient's own acts, newest first. */
    public Future<List<Entry>> among(UUID recipient, Set<String> types, List<Long> offsets) {
        return pool.preparedQuery(SELECT + " AND e.\"offset\" = ANY($5) ORDER BY e.\"offset\" DESC")
                .execute(Tuple.tuple().addUUID(recipient).addArrayOfString(types.toArray(String[]::new))
                        .addLong(Long.MAX_VALUE).addString(recipient.toString()).addArrayOfLong(offsets.toArray(Long[]::new)))
                .map(StreamReads::entries);
    }

    private static List<Entry> entries(io.vertx.sqlclient.RowSet<Row> rows) {
        List<Entry> entries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            entries.add(new Entry(new StreamEvent(row.getUUID("recipient_id"), row.getString("epoch"), row.getLong("offset"),
                    row.getString("type"), (JsonObject) row.getValue("data"),
                    row.getOffsetDateTime("created_at").toInstant()), row.getBoolean("read")));
        }
        return entries;
    }

    /** Marks these events read; returns the offsets that were not read yet (events that are not there are left out). */
    public static Future<List<Long>> mark(SqlClient tx, UUID recipient, List<Long> offsets) {
        return tx.preparedQuery("""
                        INSERT INTO stream_event_read (recipient_id, "offset")
                        SELECT e.recipient_id, e."offset" FROM stream_event e LEFT JOIN stream_read w ON w.recipient_id = e.recipient_id
                        WHERE e.recipient_id = $1 AND e."offset" = ANY($2) AND e."offset" > COALESCE(w.up_to, 0)
                        ON CONFLICT DO NOTHING RETURNING "offset\"""")
                .execute(Tuple.tuple().addUUID(recipient).addArrayOfLong(offsets.toArray(Long[]::new)))
                .map(StreamReads::offsets);
    }

    /** Puts these events away (read, too); returns the offsets that were not put away yet. */
    public static Future<List<Long>> archive(SqlClient tx, UUID recipient, List<Long> offsets) {
        return mark(tx, recipient, offsets).compose(read -> tx.preparedQuery("""
                        INSERT INTO stream_event_archived (recipient_id, "offset")
                        SELECT recipient_id, "offset" FROM stream_event WHERE recipient_id = $1 AND "offset" = ANY($2)
                        ON CONFLICT DO NOTHING RETURNING "offset\"""")
                .execute(Tuple.tuple().addUUID(recipient).addArrayOfLong(offsets.toArray(Long[]::new)))
                .map(StreamReads::offsets));
    }

    private static List<Long> offsets(io.vertx.sqlclient.RowSet<Row> rows) {
        List<Long> found = new ArrayList<>(rows.size());
        rows.forEach(row -> found.add(row.getLong("offset")));
        return found;
    }

    /**
     * Marks every event up to {@code upTo} (at most the head) read; returns the new mark, or 0 if it did not move.
     * The one-by-one marks under it go: the mark says it all.
     */
    public static Future<Long> markUpTo(SqlClient tx, UUID recipient, long upTo) {
        return tx.preparedQuery("""
                        WITH moved AS (
                            INSERT INTO stream_read (recipient_id, up_to)
                            SELECT recipient_id, LEAST($2, head) FROM stream WHERE recipient_id = $1
                            ON CONFLICT (recipient_id) DO UPDATE SET up_to = EXCLUDED.up_to WHERE stream_read.up_to < EXCLUDED.up_to
                            RETURNING up_to),
                        dropped AS (
                            DELETE FROM stream_event_read WHERE recipient_id = $1 AND "offset" <= (SELECT up_to FROM moved))
                        SELECT up_to FROM moved""")
                .execute(Tuple.of(recipient, upTo))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("up_to"));
    }
}

package fr.relais.messaging;

import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A read mark and a closing, each one statement committed alone, like a message ({@link MessageWrite}): the
 * participant check, the change, and the events for every participant not cut off go together, so that no row of
 * the conversation stays locked across round trips (every message to it updates the same rows).
 */
final class ConversationMarks {
    private static final String READ = "WITH " + MessageWrite.ME + """
            ,
            moved AS (
                UPDATE conversation_participant p
                SET last_read_seq = $3,
                    unread = p.unread - (SELECT count(*) FROM message m
                                         WHERE m.conversation_id = $1 AND m.seq > p.last_read_seq AND m.seq <= $3
                                           AND m.sender_id <> $2)
                WHERE p.conversation_id = $1 AND p.account_id = $2 AND NOT p.cut_off AND p.last_read_seq < $3
                  AND $3 BETWEEN 1 AND (SELECT message_count FROM me)
                RETURNING p.unread),
            outboxed AS (
                %s)
            SELECT me.message_count, coalesce((SELECT unread FROM moved), me.unread) AS here, %s AS elsewhere,
                   (SELECT array_agg(id) FROM outboxed) AS outbox_ids
            FROM (SELECT 1) AS one LEFT JOIN me ON true"""
            .formatted(Streams.outboxInsert("""
                    SELECT o.account_id, 'message.read',
                           jsonb_build_object('conversationId', $1::text, 'readerId', $2::text, 'upTo', $3::bigint), $4
                    FROM conversation_participant o CROSS JOIN moved
                    WHERE o.conversation_id = $1 AND NOT o.cut_off"""), Unread.totalSql("$2", "$1"));

    private static final String CLOSE = "WITH " + MessageWrite.ME + """
            ,
            closed AS (
                UPDATE conversation c SET state = 'closed', closed_by = $2, closed_at = now(), last_activity_at = now()
                WHERE c.id = $1 AND c.state = 'open' AND $3 AND EXISTS (SELECT 1 FROM me)
                RETURNING c.id),
            outboxed AS (
                %s)
            SELECT me.state, (SELECT array_agg(id) FROM outboxed) AS outbox_ids
            FROM (SELECT 1) AS one LEFT JOIN me ON true"""
            .formatted(Streams.outboxInsert("""
                    SELECT o.account_id, 'conversation.closed',
                           jsonb_build_object('conversationId', $1::text, 'closedBy', $2::text), $4
                    FROM conversation_participant o CROSS JOIN closed
                    WHERE o.conversation_id = $1 AND NOT o.cut_off"""));

    private static final String CURRENT = """
            SELECT p.unread, %s AS total
            FROM conversation_participant p WHERE p.conversation_id = $1 AND p.account_id = $2 AND NOT p.cut_off"""
            .formatted(Unread.totalSql("$2", null));

    /**
     * What a read mark found: {@code messageCount} null if the reader does not take part; their unread counts after
     * it (here, and in all their conversations); the ids of the {@code message.read} events (none if the mark did
     * not move).
     */
    record Read(Long messageCount, long unreadHere, long unreadTotal, List<Long> outboxIds) {
        boolean participant() {
            return messageCount != null;
        }
    }

    /** What a closing found: {@code state} null if the closer does not take part; the events' ids (none if not closed now). */
    record Closing(String state, List<Long> outboxIds) {
    }

    private ConversationMarks() {
    }

    /** Moves {@code reader}'s read mark to {@code upTo}, if that is a message of the conversation after the mark. */
    static Future<Read> read(SqlClient sql, UUID conversationId, UUID reader, long upTo, OffsetDateTime eventTime) {
        return sql.preparedQuery(READ).execute(Tuple.of(conversationId, reader, upTo, eventTime)).map(rows -> {
            Row row = rows.iterator().next();
            long here = row.getLong("here") == null ? 0 : row.getLong("here");
            long elsewhere = row.getLong("elsewhere") == null ? 0 : row.getLong("elsewhere");
            return new Read(row.getLong("message_count"), here, here + elsewhere, ids(row));
        });
    }

    /**
     * The reader's counts as they stand now, for a mark that did not move: it may have waited for a write that
     * changed them after its snapshot. Null if the reader no longer takes part.
     */
    static Future<Read> current(SqlClient sql, UUID conversationId, UUID reader, long messageCount) {
        return sql.preparedQuery(CURRENT)
                .execute(Tuple.of(conversationId, reader))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Read(messageCount, row.getLong("unread"), row.getLong("total"), List.of());
                });
    }

    /** Closes the conversation if it is open and {@code byProfessional}. */
    static Future<Closing> close(SqlClient sql, UUID conversationId, UUID closer, boolean byProfessional,
                                 OffsetDateTime eventTime) {
        return sql.preparedQuery(CLOSE).execute(Tuple.of(conversationId, closer, byProfessional, eventTime))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Closing(row.getString("state"), ids(row));
                });
    }

    private static List<Long> ids(Row row) {
        Long[] ids = row.getArrayOfLongs("outbox_ids");
        return ids == null ? List.of() : List.of(ids);
    }
}

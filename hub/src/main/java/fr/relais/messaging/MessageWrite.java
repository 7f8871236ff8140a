package fr.relais.messaging;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a message in one statement: checks that the sender takes part, finds an earlier message sent with the
 * same idempotency key, numbers the message in its conversation, inserts it, moves the sender's read mark, adds one
 * to the others' unread counts, and returns every participant with their counts. The conversation's row is locked
 * from that statement until the commit, two round trips later (the outbox and audit rows, then the COMMIT).
 */
final class MessageWrite {
    private static final String SEND = """
            WITH me AS (
                SELECT c.state FROM conversation c
                JOIN conversation_participant p ON p.conversation_id = c.id AND p.account_id = $2 AND NOT p.cut_off
                WHERE c.id = $1),
            previous AS (
                SELECT id, conversation_id, seq, created_at, request_hmac FROM message
                WHERE $6::text IS NOT NULL AND sender_id = $2 AND idempotency_key = $6),
            numbered AS (
                UPDATE conversation c SET message_count = c.message_count + 1, last_activity_at = now()
                WHERE c.id = $1 AND c.state = 'open' AND EXISTS (SELECT 1 FROM me) AND NOT EXISTS (SELECT 1 FROM previous)
                RETURNING c.message_count AS seq),
            inserted AS (
                INSERT INTO message (id, conversation_id, seq, sender_id, body_sealed, key_id, idempotency_key, request_hmac)
                SELECT $3, $1, seq, $2, $4, $5, $6, $7 FROM numbered
                RETURNING seq, created_at),
            participants AS (
                UPDATE conversation_participant p
                SET last_read_seq = CASE WHEN p.account_id = $2 THEN i.seq ELSE p.last_read_seq END,
                    unread = CASE WHEN p.account_id = $2 THEN 0 ELSE p.unread + 1 END
                FROM inserted i WHERE p.conversation_id = $1
                RETURNING p.account_id, p.role, p.cut_off, p.unread)
            SELECT me.state, i.seq, i.created_at,
                   pr.id AS previous_id, pr.conversation_id AS previous_conversation, pr.seq AS previous_seq,
                   pr.created_at AS previous_created_at, pr.request_hmac AS previous_hmac,
                   q.account_id, q.role, q.cut_off, q.unread,
                   q.unread + (SELECT coalesce(sum(o.unread), 0) FROM conversation_participant o
                               WHERE o.account_id = q.account_id AND o.unread > 0 AND NOT o.cut_off
                                 AND o.conversation_id <> $1) AS total
            FROM (SELECT 1) AS one
            LEFT JOIN me ON true LEFT JOIN previous pr ON true LEFT JOIN inserted i ON true LEFT JOIN participants q ON true""";

    /** A participant after the write: who, as what, and their unread counts (here and in all). */
    record Participant(UUID id, String role, boolean cutOff, long unread, long total) {
    }

    /**
     * What the statement found: {@code state} null if the sender does not take part; {@code previous} the message
     * already sent with the key; otherwise the new message's number and time, and the participants.
     */
    record Outcome(String state, Row previous, long seq, OffsetDateTime createdAt, List<Participant> participants) {
        boolean written() {
            return createdAt != null;
        }

        UUID patient() {
            return participants.stream().filter(p -> "patient".equals(p.role())).map(Participant::id).findFirst().orElse(null);
        }
    }

    private MessageWrite() {
    }

    static Future<Outcome> send(SqlConnection sql, UUID conversationId, UUID sender, UUID messageId, byte[] bodySealed,
                                String keyId, String idempotencyKey, byte[] fingerprint) {
        return sql.preparedQuery(SEND)
                .execute(Tuple.of(conversationId, sender, messageId, Buffer.buffer(bodySealed), keyId, idempotencyKey,
                        idempotencyKey == null ? null : Buffer.buffer(fingerprint)))
                .map(rows -> {
                    Row first = rows.iterator().next();
                    List<Participant> participants = new ArrayList<>();
                    for (Row row : rows) {
                        if (row.getUUID("account_id") != null) {
                            participants.add(new Participant(row.getUUID("account_id"), row.getString("role"),
                                    row.getBoolean("cut_off"), row.getLong("unread"), row.getLong("total")));
                        }
                    }
                    return new Outcome(first.getString("state"), first.getUUID("previous_id") == null ? null : first,
                            first.getLong("seq") == null ? 0 : first.getLong("seq"), first.getOffsetDateTime("created_at"),
                            participants);
                });
    }

    /** The unread counts of one participant after the write, as events carry them. */
    static JsonObject counts(Participant participant) {
        return new JsonObject().put("conversation", participant.unread()).put("total", participant.total());
    }
}

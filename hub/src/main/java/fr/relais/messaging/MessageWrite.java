package fr.relais.messaging;

import fr.relais.audit.AuditLog;
import fr.relais.identity.policy.Blocked;
import fr.relais.identity.policy.Delegations;
import fr.relais.principal.Principal;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a message in one statement: checks that the sender takes part (and, for a message a system sends on the
 * sender's behalf, that the delegation stands and the patient did not block that system), finds an earlier message sent with the
 * same idempotency key, numbers the message in its conversation, inserts it, moves the sender's read mark, adds one
 * to the others' unread counts, adds a {@code message.created} event for every participant not cut off to the
 * outbox, inserts the audit entry when one is given, and returns every participant with their counts and the
 * events' outbox ids. Sent alone, it commits by itself: a message is one round trip, and the conversation's row is
 * locked for that statement only.
 */
final class MessageWrite {
    /** The SQLSTATE of {@code refuse_write}: the sender was cut off while the statement waited, and nothing was kept. */
    static final String REFUSED = "RW001";
    /** The parameters after the audit entry's: the system sending on the author's behalf, and its name (or nulls). */
    private static final int VIA = 9 + AuditLog.PendingRow.VALUES;
    /** The conversation {@code $1} as its participant {@code $2} (not cut off) sees it; no row for anyone else. */
    static final String ME = """
            me AS (
                SELECT c.state, c.message_count, p.unread FROM conversation c
                JOIN conversation_participant p ON p.conversation_id = c.id AND p.account_id = $2 AND NOT p.cut_off
                WHERE c.id = $1)""";
    private static final String SEND = "WITH " + ME + """
            ,
            acting AS (
                SELECT $VIA::uuid IS NULL
                       OR (%s
                           AND NOT EXISTS (SELECT 1 FROM conversation_participant pp
                                           WHERE pp.conversation_id = $1 AND pp.role = 'patient' AND %s)) AS allowed),
            previous AS (
                SELECT id, conversation_id, seq, created_at, request_hmac, via_name FROM message
                WHERE $6::text IS NOT NULL AND sender_id = $2 AND idempotency_key = $6),
            numbered AS (
                UPDATE conversation c SET message_count = c.message_count + 1, last_activity_at = now()
                WHERE c.id = $1 AND c.state = 'open' AND EXISTS (SELECT 1 FROM me) AND NOT EXISTS (SELECT 1 FROM previous)
                  AND (SELECT allowed FROM acting)
                RETURNING c.message_count AS seq),
            inserted AS (
                INSERT INTO message (id, conversation_id, seq, sender_id, body_sealed, key_id, idempotency_key, request_hmac,
                                     via_integrator_id, via_name)
                SELECT $3, $1, seq, $2, $4, $5, $6, $7, $VIA, $VIA_NAME FROM numbered
                RETURNING seq, created_at),
            taking_part AS (
                INSERT INTO conversation_system (conversation_id, integrator_id, professional_id)
                SELECT $1, $VIA, $2 FROM inserted WHERE $VIA::uuid IS NOT NULL
                ON CONFLICT DO NOTHING),
            participants AS (
                UPDATE conversation_participant p
                SET last_read_seq = CASE WHEN p.account_id = $2 THEN i.seq ELSE p.last_read_seq END,
                    unread = CASE WHEN p.account_id = $2 THEN 0 ELSE p.unread + 1 END
                FROM inserted i WHERE p.conversation_id = $1
                RETURNING p.account_id, p.role, p.cut_off, p.unread),
            counted AS (
                SELECT q.account_id, q.role, q.cut_off, q.unread,
                       q.unread + %s AS total
                FROM participants q),
            outboxed AS (
                %s),
            audited AS (
                %s)
            SELECT CASE WHEN (SELECT allowed FROM acting) THEN me.state END AS state, i.seq, i.created_at,
                   pr.id AS previous_id, pr.conversation_id AS previous_conversation, pr.seq AS previous_seq,
                   pr.created_at AS previous_created_at, pr.request_hmac AS previous_hmac, pr.via_name AS previous_via,
                   q.account_id, q.role, q.cut_off, q.unread, q.total,
                   (SELECT array_agg(id) FROM outboxed) AS outbox_ids,
                   CASE WHEN q.account_id = $2 AND q.cut_off THEN refuse_write('sender cut off') END AS refused
            FROM (SELECT 1) AS one
            LEFT JOIN me ON true LEFT JOIN previous pr ON true LEFT JOIN inserted i ON true LEFT JOIN counted q ON true"""
            .formatted(Delegations.activeSql("$2", "$VIA::uuid"), Blocked.sql(Principal.Kind.INTEGRATOR, "pp.account_id", "$VIA::uuid"),
                    Unread.totalSql("q.account_id", "$1"), Streams.outboxInsert("""
                    SELECT c.account_id, 'message.created',
                           jsonb_build_object('conversationId', $1::text, 'messageId', $3::text, 'seq', i.seq,
                                              'senderId', $2::text,
                                              'unread', jsonb_build_object('conversation', c.unread, 'total', c.total)),
                           $8::timestamptz
                    FROM counted c CROSS JOIN inserted i WHERE NOT c.cut_off
                    UNION ALL
                    SELECT $VIA::uuid, 'message.accepted',
                           jsonb_build_object('conversationId', $1::text, 'messageId', $3::text, 'seq', i.seq,
                                              'onBehalfOf', $2::text, 'idempotencyKey', $6::text),
                           $8::timestamptz
                    FROM inserted i WHERE $VIA::uuid IS NOT NULL
                    UNION ALL
                    SELECT s.integrator_id, 'message.created',
                           jsonb_build_object('conversationId', $1::text, 'messageId', $3::text, 'seq', i.seq,
                                              'senderId', $2::text, 'onBehalfOf', s.professional_id::text),
                           $8::timestamptz
                    FROM conversation_system s CROSS JOIN inserted i
                    JOIN counted c ON c.account_id = s.professional_id AND NOT c.cut_off
                    WHERE s.conversation_id = $1 AND s.integrator_id IS DISTINCT FROM $VIA::uuid
                      AND %s
                      AND NOT EXISTS (SELECT 1 FROM counted p WHERE p.role = 'patient' AND %s)"""
                    .formatted(Delegations.activeSql("s.professional_id", "s.integrator_id"),
                            Blocked.sql(Principal.Kind.INTEGRATOR, "p.account_id", "s.integrator_id"))),
                    AuditLog.insertPending(9, "inserted"))
            .replace("$VIA_NAME", "$" + (VIA + 1)).replace("$VIA", "$" + VIA);

    /** A participant after the write: who, as what, and their unread counts (here and in all). */
    record Participant(UUID id, String role, boolean cutOff, long unread, long total) {
    }

    /**
     * What the statement found: {@code state} null if the sender does not take part; {@code previous} the message
     * already sent with the key; otherwise the new message's number and time, and the participants.
     */
    record Outcome(String state, Row previous, long seq, OffsetDateTime createdAt, List<Participant> participants,
                   List<Long> outboxIds) {
        boolean written() {
            return createdAt != null;
        }

        UUID patient() {
            return participants.stream().filter(p -> "patient".equals(p.role())).map(Participant::id).findFirst().orElse(null);
        }
    }

    private MessageWrite() {
    }

    /**
     * Sends the statement on {@code sql} (the pool: it commits alone; a transaction's connection: it commits with
     * it); {@code audit} is the audit entry to keep with the message, or null.
     */
    static Future<Outcome> send(SqlClient sql, UUID conversationId, UUID sender, UUID messageId, byte[] bodySealed,
                                String keyId, String idempotencyKey, byte[] fingerprint, OffsetDateTime eventTime,
                                AuditLog.PendingRow audit, Principal.Via via) {
        Tuple args = Tuple.of(conversationId, sender, messageId, Buffer.buffer(bodySealed), keyId, idempotencyKey,
                idempotencyKey == null ? null : Buffer.buffer(fingerprint)).addOffsetDateTime(eventTime);
        for (int i = 0; i < AuditLog.PendingRow.VALUES; i++) {
            args.addValue(audit == null ? null : audit.values().getValue(i));
        }
        args.addUUID(via == null ? null : via.systemId()).addString(via == null ? null : via.systemName());
        return sql.preparedQuery(SEND).execute(args).map(rows -> {
            Row first = rows.iterator().next();
            List<Participant> participants = new ArrayList<>();
            for (Row row : rows) {
                if (row.getUUID("account_id") != null) {
                    participants.add(new Participant(row.getUUID("account_id"), row.getString("role"),
                            row.getBoolean("cut_off"), row.getLong("unread"), row.getLong("total")));
                }
            }
            Long[] outboxIds = first.getArrayOfLongs("outbox_ids");
            return new Outcome(first.getString("state"), first.getUUID("previous_id") == null ? null : first,
                    first.getLong("seq") == null ? 0 : first.getLong("seq"), first.getOffsetDateTime("created_at"),
                    participants, outboxIds == null ? List.of() : List.of(outboxIds));
        });
    }
}

package fr.relais.messaging;

import fr.relais.error.ApiError;
import fr.relais.identity.policy.Blocked;
import fr.relais.principal.Principal;
import fr.relais.secrets.Sealer;
import fr.relais.web.DateWindow;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** What participants read: their conversations with unread counts, the messages (decrypted), the files. */
public final class MessagingQueries {
    /** A file to send back: its name, type and bytes. */
    public record File(String filename, String contentType, Buffer content) {
    }

    /** How much of the last message the list shows. */
    static final int PREVIEW_LENGTH = 120;

    private final Pool pool;
    private final Sealer crypto;

    MessagingQueries(Pool pool, Sealer crypto) {
        this.pool = pool;
        this.crypto = crypto;
    }

    /**
     * The caller's conversations, most recently active first, {@code limit} at a time; {@code next} is the cursor
     * ({@code before}) of the following page.
     */
    public Future<JsonObject> list(Principal who, String before, int limit) {
        OffsetDateTime beforeTime = DateWindow.LAST.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        UUID beforeId = new UUID(-1, -1);
        if (before != null) {
            try {
                String[] parts = before.split("_", 2);
                beforeTime = OffsetDateTime.parse(parts[0]);
                beforeId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw ApiError.invalidField("before", "before is the next cursor of a previous page.");
            }
            DateWindow.check(beforeTime.toInstant(), "before");
        }
        return pool.preparedQuery("""
                        SELECT c.id, c.subject_sealed, c.key_id, c.state, c.created_by, c.with_patient, c.message_count,
                               c.last_activity_at, p.last_read_seq,
                               p.unread,
                               (SELECT json_agg(json_build_object('id', a.id, 'displayName', a.display_name, 'role', q.role))
                                  FROM conversation_participant q JOIN account a ON a.id = q.account_id
                                  WHERE q.conversation_id = c.id) AS participants,
                               m.id AS last_id, m.sender_id AS last_sender, m.body_sealed AS last_body, m.key_id AS last_key,
                               m.created_at AS last_at, m.via_name AS last_via, s.display_name AS last_sender_name
                        FROM conversation_participant p JOIN conversation c ON c.id = p.conversation_id
                        LEFT JOIN message m ON m.conversation_id = c.id AND m.seq = c.message_count
                        LEFT JOIN account s ON s.id = m.sender_id
                        WHERE p.account_id = $1 AND NOT p.cut_off AND (c.last_activity_at, c.id) < ($2, $3)
                        ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $4""")
                .execute(Tuple.of(who.id(), beforeTime, beforeId, limit))
                .compose(rows -> Unread.total(pool, who.id()).map(total -> {
                    JsonArray items = new JsonArray();
                    Row last = null;
                    for (Row row : rows) {
                        last = row;
                        UUID id = row.getUUID("id");
                        items.add(new JsonObject().put("id", id.toString())
                                .put("subject", crypto.openText(row.getBuffer("subject_sealed").getBytes(), row.getString("key_id"),
                                        "conversation:" + id))
                                .put("state", row.getString("state")).put("createdBy", row.getUUID("created_by").toString())
                                .put("withPatient", row.getBoolean("with_patient"))
                                .put("messageCount", row.getLong("message_count")).put("lastReadSeq", row.getLong("last_read_seq"))
                                .put("unread", row.getLong("unread"))
                                .put("lastActivityAt", row.getOffsetDateTime("last_activity_at").toInstant().toString())
                                .put("participants", row.getValue("participants"))
                                .put("lastMessage", lastMessage(row)));
                    }
                    JsonObject page = new JsonObject().put("items", items).put("unreadTotal", total);
                    if (last != null && items.size() == limit) {
                        page.put("next", last.getOffsetDateTime("last_activity_at").toInstant() + "_" + last.getUUID("id"));
                    }
                    return page;
                }));
    }

    /**
     * The conversation's last message as the list shows it: when, who (and the system it came through), and the
     * start of its text. The body is opened here, for this caller, a participant: the preview is never stored.
     */
    private JsonObject lastMessage(Row row) {
        UUID id = row.getUUID("last_id");
        if (id == null) {
            return null;
        }
        String body = crypto.openText(row.getBuffer("last_body").getBytes(), row.getString("last_key"), "message:" + id);
        JsonObject last = new JsonObject().put("id", id.toString()).put("seq", row.getLong("message_count"))
                .put("at", row.getOffsetDateTime("last_at").toInstant().toString())
                .put("senderId", row.getUUID("last_sender").toString()).put("senderName", row.getString("last_sender_name"))
                .put("preview", preview(body));
        return row.getString("last_via") == null ? last : last.put("via", row.getString("last_via"));
    }

    /** The first {@value #PREVIEW_LENGTH} characters of a text on one line, with an ellipsis if it goes on. */
    static String preview(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        if (line.length() <= PREVIEW_LENGTH) {
            return line;
        }
        int end = Character.isHighSurrogate(line.charAt(PREVIEW_LENGTH - 1)) ? PREVIEW_LENGTH - 1 : PREVIEW_LENGTH;
        return line.substring(0, end).stripTrailing() + "…";
    }

    /** Messages with {@code seq > after}, oldest first; 404 for non-participants. */
    public Future<JsonObject> messages(Principal who, UUID conversationId, long after, int limit) {
        return participantCheck(who, conversationId).compose(v -> pool.preparedQuery("""
                        SELECT m.id, m.seq, m.sender_id, m.body_sealed, m.key_id, m.created_at, m.via_name,
                               %s AS attachments
                        FROM message m WHERE m.conversation_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3""".formatted(
                        AttachmentList.of("m.id")))
                .execute(Tuple.of(conversationId, after, limit)))
                .compose(rows -> readReceipts(conversationId).map(receipts -> {
                    JsonArray items = new JsonArray();
                    for (Row row : rows) {
                        UUID id = row.getUUID("id");
                        items.add(new JsonObject().put("id", id.toString()).put("seq", row.getLong("seq"))
                                .put("senderId", row.getUUID("sender_id").toString())
                                .put("body", crypto.openText(row.getBuffer("body_sealed").getBytes(), row.getString("key_id"),
                                        "message:" + id))
                                .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())
                                .put("attachments", AttachmentList.opened(row.getValue("attachments"), crypto)));
                        if (row.getString("via_name") != null) {
                            items.getJsonObject(items.size() - 1).put("via", row.getString("via_name"));
                        }
                    }
                    return new JsonObject().put("conversationId", conversationId.toString()).put("items", items)
                            .put("readUpTo", receipts);
                }));
    }

    public Future<File> attachment(Principal who, UUID conversationId, UUID attachmentId) {
        return participantCheck(who, conversationId).compose(v -> pool.preparedQuery("""
                        SELECT filename_sealed, content_type, content_sealed, key_id FROM attachment
                        WHERE id = $1 AND conversation_id = $2""")
                .execute(Tuple.of(attachmentId, conversationId)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(ApiError.nothingHere());
                    }
                    Row row = rows.iterator().next();
                    String keyId = row.getString("key_id");
                    return Future.succeededFuture(new File(
                            crypto.openText(row.getBuffer("filename_sealed").getBytes(), keyId, "attachment-name:" + attachmentId),
                            row.getString("content_type"),
                            Buffer.buffer(crypto.open(row.getBuffer("content_sealed").getBytes(), keyId, "attachment:" + attachmentId))));
                });
    }

    public Future<Long> unreadTotal(Principal who) {
        return Unread.total(pool, who.id());
    }

    /** Up to where each participant has read: the read receipts. */
    private Future<JsonObject> readReceipts(UUID conversationId) {
        return pool.preparedQuery("SELECT account_id, last_read_seq FROM conversation_participant WHERE conversation_id = $1")
                .execute(Tuple.of(conversationId))
                .map(rows -> {
                    JsonObject receipts = new JsonObject();
                    rows.forEach(row -> receipts.put(row.getUUID("account_id").toString(), row.getLong("last_read_seq")));
                    return receipts;
                });
    }

    /**
     * The caller takes part (not cut off); a system acting for them, only in the conversations where it wrote for
     * them, and never in one with a patient who blocked it.
     */
    private Future<Void> participantCheck(Principal who, UUID conversationId) {
        return pool.preparedQuery("""
                        SELECT 1 FROM conversation_participant WHERE conversation_id = $1 AND account_id = $2 AND NOT cut_off
                          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM conversation_system s
                                                          WHERE s.conversation_id = $1 AND s.integrator_id = $3
                                                            AND s.professional_id = $2)
                                                AND NOT EXISTS (SELECT 1 FROM conversation_participant pp
                                                                WHERE pp.conversation_id = $1 AND pp.role = 'patient'
                                                                  AND %s))"""
                        .formatted(Blocked.sql(Principal.Kind.INTEGRATOR, "pp.account_id", "$3")))
                .execute(Tuple.of(conversationId, who.id(), who.via() == null ? null : who.via().systemId()))
                .compose(rows -> rows.size() == 1 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(ApiError.nothingHere()));
    }
}

package fr.relais.messaging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Unread counts: messages from others after what a participant marked read. */
final class Unread {
    private Unread() {
    }

    /** {"conversation": n, "total": m} for {@code account}: in this conversation, and across all of theirs. */
    static Future<JsonObject> counts(SqlClient sql, UUID account, UUID conversationId) {
        return sql.preparedQuery("""
                        SELECT count(*) FILTER (WHERE m.conversation_id = $2) AS here, count(*) AS total
                        FROM conversation_participant p
                        JOIN message m ON m.conversation_id = p.conversation_id AND m.seq > p.last_read_seq AND m.sender_id <> p.account_id
                        WHERE p.account_id = $1 AND NOT p.cut_off""")
                .execute(Tuple.of(account, conversationId))
                .map(rows -> {
                    var row = rows.iterator().next();
                    return new JsonObject().put("conversation", row.getLong("here")).put("total", row.getLong("total"));
                });
    }

    static Future<Long> total(SqlClient sql, UUID account) {
        return counts(sql, account, new UUID(0, 0)).map(counts -> counts.getLong("total"));
    }
}

package fr.relais.messaging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Unread counts: messages from others after what a participant marked read, as kept with each participant. */
final class Unread {
    private Unread() {
    }

    /** {"conversation": n, "total": m} for {@code account}: in this conversation, and across all of theirs. */
    static Future<JsonObject> counts(SqlClient sql, UUID account, UUID conversationId) {
        return sql.preparedQuery("""
                        SELECT coalesce(sum(unread) FILTER (WHERE conversation_id = $2), 0) AS here, coalesce(sum(unread), 0) AS total
                        FROM conversation_participant
                        WHERE account_id = $1 AND has_unread AND NOT cut_off""")
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

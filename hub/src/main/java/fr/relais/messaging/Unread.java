package fr.relais.messaging;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Unread counts: messages from others after what a participant marked read, as kept with each participant. */
final class Unread {
    private Unread() {
    }

    /** The unread messages of {@code account} across all their conversations. */
    static Future<Long> total(SqlClient sql, UUID account) {
        return sql.preparedQuery("""
                        SELECT coalesce(sum(unread), 0) AS total FROM conversation_participant
                        WHERE account_id = $1 AND has_unread AND NOT cut_off""")
                .execute(Tuple.of(account))
                .map(rows -> rows.iterator().next().getLong("total"));
    }
}

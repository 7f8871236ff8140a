package fr.relais.messaging;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Unread counts: messages from others after what a participant marked read, as kept with each participant. */
final class Unread {
    private Unread() {
    }

    /**
     * SQL for the unread messages of the account {@code account} (SQL naming it) across all their conversations but
     * {@code except} (SQL naming one, or null for none): what the unread total counts, for every statement that
     * gives one.
     */
    static String totalSql(String account, String except) {
        return "(SELECT coalesce(sum(o.unread), 0) FROM conversation_participant o WHERE o.account_id = " + account
                + " AND o.has_unread AND NOT o.cut_off" + (except == null ? "" : " AND o.conversation_id <> " + except) + ")";
    }

    /** The unread messages of {@code account} across all their conversations. */
    static Future<Long> total(SqlClient sql, UUID account) {
        return sql.preparedQuery("SELECT " + totalSql("$1", null) + " AS total")
                .execute(Tuple.of(account))
                .map(rows -> rows.iterator().next().getLong("total"));
    }
}

package fr.relais.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Every decision, kept for {@code notify.decisionRetention} so that an admin can answer for any person why. */
final class Decisions {
    private Decisions() {
    }

    static Future<Void> record(SqlClient tx, Decision d) {
        return tx.preparedQuery("""
                        INSERT INTO notify_decision (account_id, decided_at, from_offset, up_to_offset, devices, pushed,
                                                     push_not_before, emailed, email_not_before, live_only, held, push_email_fallback)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""")
                .execute(Tuple.tuple().addUUID(d.account()).addOffsetDateTime(utc(d.decidedAt())).addLong(d.fromOffset())
                        .addLong(d.upToOffset()).addInteger(d.devices()).addJsonObject(Decision.json(d.pushed()))
                        .addOffsetDateTime(utc(d.pushNotBefore())).addJsonObject(Decision.json(d.emailed()))
                        .addOffsetDateTime(utc(d.emailNotBefore())).addJsonObject(Decision.json(d.liveOnly()))
                        .addString(d.held()).addBoolean(d.pushEmailFallback()))
                .mapEmpty();
    }

    /** The person's newest {@code limit} decisions, newest first. */
    static Future<JsonArray> of(SqlClient sql, UUID account, int limit) {
        return sql.preparedQuery("""
                        SELECT decided_at, from_offset, up_to_offset, devices, pushed, push_not_before, push_email_fallback, emailed,
                               email_not_before, live_only, held
                        FROM notify_decision WHERE account_id = $1 ORDER BY decided_at DESC, id DESC LIMIT $2""")
                .execute(Tuple.of(account, limit))
                .map(rows -> {
                    JsonArray items = new JsonArray();
                    for (Row row : rows) {
                        items.add(new JsonObject().put("decidedAt", instant(row, "decided_at"))
                                .put("fromOffset", row.getLong("from_offset")).put("upToOffset", row.getLong("up_to_offset"))
                                .put("devices", row.getInteger("devices"))
                                .put("push", new JsonObject().put("counts", row.getJsonObject("pushed"))
                                        .put("notBefore", instant(row, "push_not_before"))
                                        .put("emailedIfUndelivered", row.getBoolean("push_email_fallback")))
                                .put("email", new JsonObject().put("counts", row.getJsonObject("emailed"))
                                        .put("notBefore", instant(row, "email_not_before")))
                                .put("liveOnly", row.getJsonObject("live_only")).put("held", row.getString("held")));
                    }
                    return items;
                });
    }

    static Future<Integer> purge(SqlClient sql, Instant before) {
        return sql.preparedQuery("DELETE FROM notify_decision WHERE decided_at < $1").execute(Tuple.of(utc(before)))
                .map(rows -> rows.rowCount());
    }

    private static String instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant().toString();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

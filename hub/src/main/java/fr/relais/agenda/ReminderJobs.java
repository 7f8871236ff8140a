package fr.relais.agenda;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Creating and cancelling reminder jobs. A job's occurrence key makes creating it again a no-op. */
final class ReminderJobs {
    private ReminderJobs() {
    }

    /** The patient's reminders still to come between {@code from} and {@code to}, soonest first (at most 200). */
    static Future<io.vertx.core.json.JsonArray> upcoming(SqlClient sql, UUID patient, Instant from, Instant to) {
        return sql.preparedQuery("""
                        SELECT id, kind, due_at, payload FROM reminder_job
                        WHERE patient_id = $1 AND status IN ('pending', 'claimed') AND due_at >= $2 AND due_at < $3
                        ORDER BY due_at LIMIT 200""")
                .execute(Tuple.of(patient, OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.ofInstant(to, ZoneOffset.UTC)))
                .map(rows -> {
                    io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
                    rows.forEach(row -> list.add(new JsonObject().put("id", row.getUUID("id").toString())
                            .put("kind", row.getString("kind"))
                            .put("dueAt", ParisTime.show(row.getOffsetDateTime("due_at").toInstant()))
                            .put("data", row.getJsonObject("payload"))));
                    return list;
                });
    }

    static Future<Boolean> schedule(SqlClient sql, String occurrenceKey, String kind, UUID patient, UUID source, Instant due,
                                    JsonObject payload) {
        OffsetDateTime at = OffsetDateTime.ofInstant(due, ZoneOffset.UTC);
        return sql.preparedQuery("""
                        INSERT INTO reminder_job (id, occurrence_key, kind, patient_id, source_id, due_at, next_attempt_at, payload)
                        VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (occurrence_key) DO NOTHING""")
                .execute(Tuple.of(UUID.randomUUID(), occurrenceKey, kind, patient, source, at, payload))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Cancels the pending reminders that come from {@code source} (an appointment moved or cancelled, a treatment changed). */
    static Future<Integer> cancelPending(SqlClient sql, UUID source) {
        return sql.preparedQuery("UPDATE reminder_job SET status = 'cancelled' WHERE source_id = $1 AND status = 'pending'")
                .execute(Tuple.of(source))
                .map(rows -> rows.rowCount());
    }
}

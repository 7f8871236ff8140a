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

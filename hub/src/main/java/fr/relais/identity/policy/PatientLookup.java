package fr.relais.identity.policy;

import fr.relais.error.ApiError;
import fr.relais.identity.Ins;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Finds the patient a professional or a system names in a request, by INS or by account id. */
public final class PatientLookup {
    private PatientLookup() {
    }

    /** The patient named by {@code ins} or {@code patientId} in {@code body}, or 404 {@code patient_not_found}. */
    public static Future<UUID> named(SqlClient sql, JsonObject body) {
        Future<UUID> found;
        if (body.getValue("ins") != null) {
            Ins ins = Ins.parse(body.getValue("ins") instanceof String text ? text : "", "ins");
            found = sql.preparedQuery("SELECT account_id FROM patient WHERE ins = $1").execute(Tuple.of(ins.value()))
                    .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("account_id"));
        } else if (body.getValue("patientId") != null) {
            UUID id = uuidOrNull(body.getValue("patientId"));
            found = id == null ? Future.succeededFuture(null)
                    : sql.preparedQuery("SELECT account_id FROM patient WHERE account_id = $1").execute(Tuple.of(id))
                            .map(rows -> rows.size() == 0 ? null : id);
        } else {
            throw ApiError.invalidField("ins", "Name the patient by ins (or patientId).");
        }
        return found.compose(id -> id == null ? Future.failedFuture(notFound()) : Future.succeededFuture(id));
    }

    public static ApiError notFound() {
        return ApiError.notFound("patient_not_found", "No patient has this identifier.");
    }

    private static UUID uuidOrNull(Object raw) {
        try {
            return raw instanceof String text ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

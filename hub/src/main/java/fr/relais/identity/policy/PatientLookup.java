package fr.relais.identity.policy;

import fr.relais.error.ApiError;
import fr.relais.identity.Ins;
import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Finds the patient a professional or a system names in a request, by INS or by account id. */
public final class PatientLookup {
    private PatientLookup() {
    }

    /** The patient named by {@code ins} or {@code patientId} in {@code body}, or 404 {@code patient_not_found}. */
    public static Future<UUID> named(SqlClient sql, JsonObject body) {
        return named(sql, body, null);
    }

    /**
     * Like {@link #named(SqlClient, JsonObject)}, in one query that also checks that the patient did not block
     * {@code asking} (a professional, or a system or its organisation; null or anyone else: no check), nor the
     * system {@code asking} acts through, if any: a patient who did is not found by them.
     */
    public static Future<UUID> named(SqlClient sql, JsonObject body, Principal asking) {
        String blocked = Blocked.sql(asking == null ? Principal.Kind.PATIENT : asking.kind(), "p.account_id", "$2")
                + " OR " + Blocked.sql(Principal.Kind.INTEGRATOR, "p.account_id", "$3::uuid");
        UUID askingId = asking == null ? null : asking.id();
        UUID through = asking == null || asking.via() == null ? null : asking.via().systemId();
        if (body.getValue("ins") != null && body.getValue("patientId") != null) {
            throw ApiError.invalidField("patientId", "Name the patient by ins or by patientId, not both.");
        }
        Future<UUID> found;
        if (body.getValue("ins") != null) {
            Ins ins = Ins.parse(body.getValue("ins") instanceof String text ? text : "", "ins");
            found = unblocked(sql, "SELECT account_id, " + blocked + " FROM patient p WHERE ins = $1", ins.value(), askingId, through);
        } else if (body.getValue("patientId") != null) {
            UUID id = uuidOrNull(body.getValue("patientId"));
            found = id == null ? Future.succeededFuture(null)
                    : unblocked(sql, "SELECT account_id, " + blocked + " FROM patient p WHERE account_id = $1", id, askingId, through);
        } else {
            throw ApiError.invalidField("ins", "Name the patient by ins (or patientId).");
        }
        return found.compose(id -> id == null ? Future.failedFuture(notFound()) : Future.succeededFuture(id));
    }

    private static Future<UUID> unblocked(SqlClient sql, String query, Object named, UUID asking, UUID through) {
        return sql.preparedQuery(query).execute(Tuple.of(named, asking, through)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return row.getBoolean(1) ? null : row.getUUID(0);
        });
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

package fr.relais.identity.policy;

import fr.relais.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The SQL of care requests and of the professional cards shown with them. */
final class CareRequestQueries {
    /** Where a professional stands with a patient before asking; {@code professional} is their own card's row. */
    record Standing(boolean blocked, boolean inCare, boolean declinedRecently, Row professional) {
    }

    private static final String CARD = """
            SELECT a.id, a.display_name, p.rpps, p.profession, p.organisation
            FROM professional p JOIN account a ON a.id = p.account_id WHERE p.account_id = $1""";

    private CareRequestQueries() {
    }

    static Future<Standing> standing(SqlClient sql, UUID patient, UUID professional, OffsetDateTime declinedSince) {
        return sql.preparedQuery("""
                        SELECT EXISTS (SELECT 1 FROM professional_block WHERE patient_id = $2 AND professional_id = $1) AS blocked,
                               EXISTS (SELECT 1 FROM care_relationship WHERE patient_id = $2 AND professional_id = $1) AS in_care,
                               EXISTS (SELECT 1 FROM care_request WHERE patient_id = $2 AND professional_id = $1
                                         AND status = 'declined' AND decided_at > $3) AS declined,
                               a.id, a.display_name, p.rpps, p.profession, p.organisation
                        FROM professional p JOIN account a ON a.id = p.account_id WHERE p.account_id = $1""")
                .execute(Tuple.of(professional, patient, declinedSince))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Standing(row.getBoolean("blocked"), row.getBoolean("in_care"), row.getBoolean("declined"), row);
                });
    }

    static Future<CareRelationships.Requested> insertPending(SqlClient sql, UUID id, UUID patient, UUID professional, OffsetDateTime now) {
        return sql.preparedQuery("""
                        INSERT INTO care_request (id, patient_id, professional_id, status, created_at) VALUES ($1, $2, $3, 'pending', $4)
                        ON CONFLICT (patient_id, professional_id) WHERE status = 'pending' DO NOTHING RETURNING id""")
                .execute(Tuple.of(id, patient, professional, now))
                .compose(inserted -> sql.preparedQuery("""
                                SELECT id, patient_id, status, created_at, decided_at, NULL AS patient_name FROM care_request
                                WHERE patient_id = $1 AND professional_id = $2 AND status = 'pending'""")
                        .execute(Tuple.of(patient, professional))
                        .map(rows -> new CareRelationships.Requested(asSeenByProfessional(rows.iterator().next()), inserted.size() == 1)));
    }

    /** Settles the patient's pending request {@code id} and answers the professional who made it, or 404. */
    static Future<UUID> decide(SqlClient sql, UUID id, UUID patient, String status, OffsetDateTime now) {
        return sql.preparedQuery("""
                        UPDATE care_request SET status = $3, decided_at = $4
                        WHERE id = $1 AND patient_id = $2 AND status = 'pending' RETURNING professional_id""")
                .execute(Tuple.of(id, patient, status, now))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next().getUUID("professional_id"))
                        : Future.failedFuture(noSuchRequest()));
    }

    /** The professional takes back their pending request {@code id}; answers its patient, or 404. */
    static Future<UUID> withdraw(SqlClient sql, UUID id, UUID professional, OffsetDateTime now) {
        return sql.preparedQuery("""
                        UPDATE care_request SET status = 'withdrawn', decided_at = $3
                        WHERE id = $1 AND professional_id = $2 AND status = 'pending' RETURNING patient_id""")
                .execute(Tuple.of(id, professional, now))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next().getUUID("patient_id"))
                        : Future.failedFuture(noSuchRequest()));
    }

    /** Settles whatever request of this pair is pending (a declaration accepts it, a block declines it). */
    static Future<Void> settlePending(SqlClient sql, UUID patient, UUID professional, String status, OffsetDateTime now) {
        return sql.preparedQuery("""
                        UPDATE care_request SET status = $3, decided_at = $4
                        WHERE patient_id = $1 AND professional_id = $2 AND status = 'pending'""")
                .execute(Tuple.of(patient, professional, status, now))
                .mapEmpty();
    }

    static Future<JsonArray> pendingFor(SqlClient sql, UUID patient) {
        return sql.preparedQuery("""
                        SELECT r.id AS request_id, r.created_at, a.id, a.display_name, p.rpps, p.profession, p.organisation
                        FROM care_request r JOIN account a ON a.id = r.professional_id JOIN professional p ON p.account_id = a.id
                        WHERE r.patient_id = $1 AND r.status = 'pending' ORDER BY r.created_at DESC""")
                .execute(Tuple.of(patient))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(new JsonObject().put("id", row.getUUID("request_id").toString())
                            .put("requestedAt", row.getOffsetDateTime("created_at").toInstant().toString())
                            .put("professional", publicCard(row))));
                    return list;
                });
    }

    /** A professional's requests, newest first; the patient's name only once the patient accepted. */
    static Future<JsonArray> requestsOf(SqlClient sql, UUID professional) {
        return sql.preparedQuery("""
                        SELECT r.id, r.patient_id, r.status, r.created_at, r.decided_at,
                               CASE WHEN r.status = 'accepted' THEN a.display_name END AS patient_name
                        FROM care_request r JOIN account a ON a.id = r.patient_id
                        WHERE r.professional_id = $1 ORDER BY r.created_at DESC LIMIT 200""")
                .execute(Tuple.of(professional))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(asSeenByProfessional(row)));
                    return list;
                });
    }

    static Future<Row> professional(SqlClient sql, UUID professional) {
        return sql.preparedQuery(CARD).execute(Tuple.of(professional)).map(rows -> rows.iterator().next());
    }

    /** What a patient may know of a professional: the public directory's card. */
    static JsonObject publicCard(Row row) {
        JsonObject card = new JsonObject().put("id", row.getUUID("id").toString()).put("displayName", row.getString("display_name"))
                .put("rpps", row.getString("rpps")).put("profession", row.getString("profession"));
        if (row.getString("organisation") != null) {
            card.put("organisation", row.getString("organisation"));
        }
        return card;
    }

    private static JsonObject asSeenByProfessional(Row row) {
        JsonObject request = new JsonObject().put("id", row.getUUID("id").toString())
                .put("patientId", row.getUUID("patient_id").toString()).put("status", row.getString("status"))
                .put("requestedAt", row.getOffsetDateTime("created_at").toInstant().toString());
        if (row.getOffsetDateTime("decided_at") != null) {
            request.put("decidedAt", row.getOffsetDateTime("decided_at").toInstant().toString());
        }
        if (row.getString("patient_name") != null) {
            request.put("patientName", row.getString("patient_name"));
        }
        return request;
    }

    private static ApiError noSuchRequest() {
        return ApiError.notFound("not_found", "No pending care request has this id.");
    }
}

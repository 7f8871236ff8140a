package fr.relais.identity.policy;

import fr.relais.error.ApiError;
import fr.relais.web.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * A patient's blocks of systems: an organisation (all its systems: a hospital, a laboratory, an app's publisher)
 * or one system of it. A blocked system deposits nothing more in the patient's record and no longer reaches the
 * documents it deposited there, as a blocked professional.
 */
public final class SystemBlocks {
    private static final String BLOCKS = """
            SELECT b.id, b.created_at, o.id AS organisation_id, o.kind, o.name AS organisation_name,
                   i.id AS integrator_id, i.name AS integrator_name
            FROM system_block b JOIN organisation o ON o.id = b.organisation_id
            LEFT JOIN integrator i ON i.id = b.integrator_id
            """;

    private final Pool pool;

    public SystemBlocks(Pool pool) {
        this.pool = pool;
    }

    /**
     * SQL that is true when the patient in column {@code patient} blocked the system {@code integrator} (a
     * parameter, {@code $n}) or its organisation ({@link Blocked} gives the rule for every kind of writer).
     */
    public static String blockedSql(String patient, String integrator) {
        return """
                EXISTS (SELECT 1 FROM system_block b JOIN integrator i ON i.id = %2$s
                        WHERE b.patient_id = %1$s
                          AND (b.integrator_id = i.id OR b.integrator_id IS NULL AND b.organisation_id = i.organisation_id))"""
                .formatted(patient, integrator);
    }

    public Future<JsonArray> list(UUID patient) {
        return pool.preparedQuery(BLOCKS + "WHERE b.patient_id = $1 ORDER BY b.created_at, b.id")
                .execute(Tuple.of(patient))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(describe(row)));
                    return list;
                });
    }

    /**
     * Blocks {@code organisationId} (all its systems) or {@code integratorId} (one system); blocking again what is
     * blocked answers the existing block.
     */
    public Future<JsonObject> block(UUID patient, JsonObject body) {
        UUID organisation = Fields.optionalUuid(body, "organisationId");
        UUID integrator = Fields.optionalUuid(body, "integratorId");
        if ((organisation == null) == (integrator == null)) {
            throw ApiError.invalidField("organisationId", "Name either the organisation (organisationId) or one of its systems (integratorId).");
        }
        String target = organisation != null
                ? "SELECT id AS organisation_id, NULL::uuid AS integrator_id FROM organisation WHERE id = $2"
                : "SELECT organisation_id, id AS integrator_id FROM integrator WHERE id = $2";
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        WITH target AS (%s),
                        added AS (
                            INSERT INTO system_block (id, patient_id, organisation_id, integrator_id)
                            SELECT $3, $1, organisation_id, integrator_id FROM target
                            ON CONFLICT DO NOTHING RETURNING id)
                        SELECT (SELECT count(*) FROM target) AS found""".formatted(target))
                        .execute(Tuple.of(patient, organisation != null ? organisation : integrator, UUID.randomUUID()))
                        .compose(rows -> rows.iterator().next().getLong("found") == 0
                                ? Future.failedFuture(ApiError.notFound("system_not_found", "No organisation or system has this id."))
                                : Future.succeededFuture()))
                .compose(v -> one(patient, organisation, integrator));
    }

    /** Lifts a block (its id); the system may deposit again, and reaches the documents it deposited again. */
    public Future<Void> unblock(UUID patient, UUID block) {
        return pool.preparedQuery("DELETE FROM system_block WHERE id = $1 AND patient_id = $2").execute(Tuple.of(block, patient))
                .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(ApiError.notFound("not_found", "This block does not exist.")));
    }

    private Future<JsonObject> one(UUID patient, UUID organisation, UUID integrator) {
        return pool.preparedQuery(BLOCKS
                        + "WHERE b.patient_id = $1 AND (b.organisation_id = $2 AND b.integrator_id IS NULL OR b.integrator_id = $3)")
                .execute(Tuple.of(patient, organisation, integrator))
                .compose(rows -> rows.size() == 0 // lifted meanwhile
                        ? Future.failedFuture(ApiError.notFound("not_found", "This block does not exist."))
                        : Future.succeededFuture(describe(rows.iterator().next())));
    }

    private static JsonObject describe(Row row) {
        JsonObject block = new JsonObject().put("id", row.getUUID("id").toString())
                .put("organisation", new JsonObject().put("id", row.getUUID("organisation_id").toString())
                        .put("kind", row.getString("kind")).put("name", row.getString("organisation_name")))
                .put("since", row.getOffsetDateTime("created_at").toInstant().toString());
        UUID integrator = row.getUUID("integrator_id");
        block.put("system", integrator == null ? null
                : new JsonObject().put("id", integrator.toString()).put("name", row.getString("integrator_name")));
        return block;
    }
}

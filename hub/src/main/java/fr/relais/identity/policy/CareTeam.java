package fr.relais.identity.policy;

import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * A patient's decisions about professionals: who treats them (care relationships), who is blocked, whether
 * emergency access is refused; and the history of who accessed their data.
 */
public final class CareTeam {
    private final Pool pool;
    private final EmergencyReasons reasons;
    private final java.time.Clock clock;
    private final java.util.List<CareListener> careListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile AccessedDocuments documents = AccessedDocuments.NONE;

    public CareTeam(Pool pool, EmergencyReasons reasons, java.time.Clock clock) {
        this.pool = pool;
        this.reasons = reasons;
        this.clock = clock;
    }

    /** {@code listener} hears of every relationship that begins or ends, inside the transaction that decides it. */
    public void onCareChange(CareListener listener) {
        careListeners.add(listener);
    }

    /** {@code names} gives the titles of the documents the access history points at, when the patient reads it. */
    public void nameDocumentsWith(AccessedDocuments names) {
        this.documents = names;
    }

    /** Which of {@code professionals} treat {@code patient} (a blocked one never does), in one query. */
    public static Future<java.util.Set<UUID>> treating(SqlClient client, UUID patient, java.util.Collection<UUID> professionals) {
        return client.preparedQuery("SELECT professional_id FROM care_relationship WHERE patient_id = $1 AND professional_id = ANY($2)")
                .execute(Tuple.tuple().addUUID(patient).addArrayOfUUID(professionals.toArray(UUID[]::new)))
                .map(rows -> {
                    java.util.Set<UUID> found = new java.util.HashSet<>();
                    rows.forEach(row -> found.add(row.getUUID("professional_id")));
                    return found;
                });
    }

    /** Whether the patient blocked this professional: nothing from them may reach the patient. */
    public static Future<Boolean> blocked(SqlClient client, UUID patient, UUID professional) {
        return Blocked.of(client, patient, Principal.Kind.PROFESSIONAL, professional);
    }

    /** The patients who blocked {@code professional}: nothing of theirs may reach that professional. */
    public static Future<java.util.Set<UUID>> patientsWhoBlocked(SqlClient client, UUID professional) {
        return client.preparedQuery("SELECT patient_id FROM professional_block WHERE professional_id = $1")
                .execute(Tuple.of(professional))
                .map(rows -> {
                    java.util.Set<UUID> patients = new java.util.HashSet<>();
                    rows.forEach(row -> patients.add(row.getUUID("patient_id")));
                    return patients;
                });
    }

    public Future<JsonArray> relationships(UUID patient) {
        return pool.preparedQuery("""
                        SELECT a.id, a.display_name, p.rpps, p.profession, p.organisation, c.origin, c.created_at
                        FROM care_relationship c JOIN account a ON a.id = c.professional_id
                        JOIN professional p ON p.account_id = a.id
                        WHERE c.patient_id = $1 ORDER BY c.created_at""")
                .execute(Tuple.of(patient))
                .map(CareTeam::professionals);
    }

    /** Unblocking lets the professional ask again; it does not bring back the care relationship the block ended. */
    public Future<Void> unblock(UUID patient, UUID professional) {
        return pool.preparedQuery("DELETE FROM professional_block WHERE patient_id = $1 AND professional_id = $2")
                .execute(Tuple.of(patient, professional))
                .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(ApiError.notFound("not_found", "This professional is not blocked.")));
    }

    /** Tells the features that {@code professional} now is, or no longer is, in {@code patient}'s care. */
    Future<Void> careChanged(SqlClient tx, UUID patient, UUID professional, boolean inCare) {
        Future<Void> chain = Future.succeededFuture();
        for (CareListener listener : careListeners) {
            chain = chain.compose(v -> listener.careChanged(tx, patient, professional, inCare));
        }
        return chain;
    }

    public Future<JsonArray> blocked(UUID patient) {
        return pool.preparedQuery("""
                        SELECT a.id, a.display_name, p.rpps, p.profession, p.organisation, NULL AS origin, b.created_at
                        FROM professional_block b JOIN account a ON a.id = b.professional_id
                        JOIN professional p ON p.account_id = a.id
                        WHERE b.patient_id = $1 ORDER BY b.created_at""")
                .execute(Tuple.of(patient))
                .map(CareTeam::professionals);
    }

    /** An objection also ends, now, every emergency access still running. */
    public Future<Void> setEmergencyObjection(UUID patient, boolean objected) {
        return pool.withTransaction(tx -> tx.preparedQuery("UPDATE patient SET emergency_access_objection = $2 WHERE account_id = $1")
                .execute(Tuple.of(patient, objected))
                .compose(v -> !objected ? Future.succeededFuture()
                        : tx.preparedQuery("UPDATE emergency_access SET expires_at = $2 WHERE patient_id = $1 AND expires_at > $2")
                                .execute(Tuple.of(patient, java.time.OffsetDateTime.now(clock))))
                .mapEmpty());
    }

    /** The patients a professional treats, for their patient list. */
    public Future<JsonArray> patientsOf(UUID professional) {
        return pool.preparedQuery("""
                        SELECT a.id, a.display_name, c.origin, c.created_at
                        FROM care_relationship c JOIN account a ON a.id = c.patient_id
                        WHERE c.professional_id = $1
                          AND NOT EXISTS (SELECT 1 FROM professional_block b
                                          WHERE b.patient_id = c.patient_id AND b.professional_id = c.professional_id)
                        ORDER BY a.display_name""")
                .execute(Tuple.of(professional))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(new JsonObject().put("id", row.getUUID("id").toString())
                            .put("displayName", row.getString("display_name")).put("origin", row.getString("origin"))
                            .put("since", row.getOffsetDateTime("created_at").toInstant().toString())));
                    return list;
                });
    }

    /**
     * Newest first, {@code limit} entries with an id below {@code before}; {@code next} is the cursor of the next page.
     * Each names what was seen ({@code what}); an entry about one document names it by {@code documentId}, with its
     * {@code documentTitle} found now, for the patient, if the document is still theirs to see.
     */
    public Future<JsonObject> accessHistory(UUID patient, long before, int limit) {
        return pool.preparedQuery("""
                        SELECT h.id, h.actor_kind, h.actor_id, h.actor_name, h.action, h.what, h.document_id, h.emergency,
                               h.first_access, h.at, e.id AS emergency_access_id, e.reason_sealed, e.key_id
                        FROM access_history h LEFT JOIN emergency_access e ON e.id = h.emergency_access_id
                        WHERE h.patient_id = $1 AND h.id < $2 ORDER BY h.id DESC LIMIT $3""")
                .execute(Tuple.of(patient, before, limit))
                .compose(rows -> {
                    java.util.Set<UUID> documentIds = new java.util.HashSet<>();
                    rows.forEach(row -> {
                        if (row.getUUID("document_id") != null) {
                            documentIds.add(row.getUUID("document_id"));
                        }
                    });
                    Future<java.util.Map<UUID, String>> titles = documentIds.isEmpty()
                            ? Future.succeededFuture(java.util.Map.of()) : documents.titles(patient, documentIds);
                    return titles.map(named -> historyPage(rows, named, limit));
                });
    }

    private JsonObject historyPage(RowSet<Row> rows, java.util.Map<UUID, String> titles, int limit) {
        JsonArray items = new JsonArray();
        Long last = null;
        for (Row row : rows) {
            last = row.getLong("id");
            JsonObject item = new JsonObject().put("id", last).put("actorKind", row.getString("actor_kind"))
                    .put("actorId", row.getUUID("actor_id").toString()).put("actorName", row.getString("actor_name"))
                    .put("action", row.getString("action")).put("what", row.getString("what"))
                    .put("emergency", row.getBoolean("emergency"))
                    .put("firstAccess", row.getBoolean("first_access"))
                    .put("at", row.getOffsetDateTime("at").toInstant().toString());
            UUID document = row.getUUID("document_id");
            if (document != null) {
                item.put("documentId", document.toString()).put("documentTitle", titles.get(document));
            }
            if (row.getBuffer("reason_sealed") != null) {
                item.put("reason", reasons.open(row.getUUID("emergency_access_id"), row.getBuffer("reason_sealed"),
                        row.getString("key_id")));
            }
            items.add(item);
        }
        JsonObject page = new JsonObject().put("items", items);
        if (items.size() == limit && last != null) {
            page.put("next", last);
        }
        return page;
    }

    /** The professional with this RPPS number (a public directory number), or 404 {@code professional_not_found}. */
    public Future<JsonObject> professionalByRpps(String rpps) {
        return professionalByRpps(rpps, false);
    }

    /** A professional by RPPS whose account is active: one to declare or to write to (the directory shows no other). */
    public Future<JsonObject> activeProfessionalByRpps(String rpps) {
        return professionalByRpps(rpps, true);
    }

    private Future<JsonObject> professionalByRpps(String rpps, boolean activeOnly) {
        return pool.preparedQuery("""
                        SELECT a.id, a.display_name, p.rpps, p.profession, p.organisation, NULL AS origin, a.created_at
                        FROM professional p JOIN account a ON a.id = p.account_id
                        WHERE p.rpps = $1 AND (NOT $2 OR a.status = 'active')""")
                .execute(Tuple.of(rpps, activeOnly))
                .compose(rows -> rows.size() == 1
                        ? Future.succeededFuture(professionals(rows).getJsonObject(0))
                        : Future.failedFuture(ApiError.notFound("professional_not_found", "No professional has this RPPS number.")));
    }

    private static JsonArray professionals(RowSet<Row> rows) {
        JsonArray list = new JsonArray();
        rows.forEach(row -> {
            JsonObject pro = new JsonObject().put("id", row.getUUID("id").toString())
                    .put("displayName", row.getString("display_name")).put("rpps", row.getString("rpps"))
                    .put("profession", row.getString("profession"))
                    .put("since", row.getOffsetDateTime("created_at").toInstant().toString());
            if (row.getString("organisation") != null) {
                pro.put("organisation", row.getString("organisation"));
            }
            if (row.getString("origin") != null) {
                pro.put("origin", row.getString("origin"));
            }
            list.add(pro);
        });
        return list;
    }
}

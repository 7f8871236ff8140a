package fr.relais.identity.policy;

import fr.relais.audit.AuditEvent;
import fr.relais.audit.AuditLog;
import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import fr.relais.stream.StreamTransaction;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * How a care relationship begins and ends: always by the patient's decision. The patient declares a professional,
 * or accepts a professional's request; the patient ends it, and it stays ended. Depositing a document or booking
 * an appointment never makes one. Each step is an event for the other side, in the same transaction:
 * {@code care.requested} and {@code care.request_withdrawn} for the patient; {@code care.accepted},
 * {@code care.declined}, {@code care.started} and {@code care.ended} for the professional.
 */
public final class CareRelationships {
    /** A request as the professional sees it, and whether this call created it (or found it already pending). */
    public record Requested(JsonObject request, boolean created) {
    }

    /** After a refusal, the same professional may not ask again for this long (the patient is not pestered). */
    static final Duration DECLINED_COOLDOWN = Duration.ofDays(30);

    private final Streams streams;
    private final CareTeam team;
    private final AuditLog audit;
    private final Clock clock;

    public CareRelationships(Streams streams, CareTeam team, AuditLog audit, Clock clock) {
        this.streams = streams;
        this.team = team;
        this.audit = audit;
        this.clock = clock;
    }

    /** A professional asks to treat the patient; a pending request from them is answered again rather than doubled. */
    public Future<Requested> request(Principal professional, Future<UUID> patientLookup) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return patientLookup.compose(patient -> streams.withTransaction(tx -> CareRequestQueries.standing(tx.sql(), patient,
                professional.id(), now.minus(DECLINED_COOLDOWN)).compose(standing -> {
                    if (standing.blocked()) {
                        return Future.failedFuture(PatientLookup.notFound());
                    }
                    if (standing.inCare()) {
                        return Future.failedFuture(ApiError.of(409, "already_in_care", "This patient already counts you in their care team."));
                    }
                    if (standing.declinedRecently()) {
                        return Future.failedFuture(ApiError.of(409, "care_request_declined",
                                "This patient declined your request recently; they can still declare you themselves."));
                    }
                    return CareRequestQueries.insertPending(tx.sql(), UUID.randomUUID(), patient, professional.id(), now)
                            .compose(requested -> requested.created()
                                    ? tx.append(patient, "care.requested", new JsonObject()
                                            .put("requestId", requested.request().getString("id"))
                                            .put("professional", CareRequestQueries.publicCard(standing.professional())))
                                            .map(requested)
                                    : Future.succeededFuture(requested));
                })));
    }

    /** The patient accepts: the relationship begins, and the professional is told with the patient's name. */
    public Future<JsonObject> accept(UUID patient, UUID requestId) {
        return streams.withTransaction(tx -> CareRequestQueries.decide(tx.sql(), requestId, patient, "accepted", OffsetDateTime.now(clock))
                .compose(professional -> begin(tx, patient, professional, "accepted", requestId)));
    }

    public Future<Void> decline(UUID patient, UUID requestId) {
        return streams.withTransaction(tx -> CareRequestQueries.decide(tx.sql(), requestId, patient, "declined", OffsetDateTime.now(clock))
                .compose(professional -> tx.append(professional, "care.declined",
                        new JsonObject().put("requestId", requestId.toString()).put("patientId", patient.toString())))
                .mapEmpty());
    }

    public Future<Void> withdraw(UUID professional, UUID requestId) {
        return streams.withTransaction(tx -> CareRequestQueries.withdraw(tx.sql(), requestId, professional, OffsetDateTime.now(clock))
                .compose(patient -> tx.append(patient, "care.request_withdrawn", new JsonObject().put("requestId", requestId.toString())))
                .mapEmpty());
    }

    /** The patient declares a professional by RPPS; a pending request from them counts as accepted. */
    public Future<JsonObject> declare(UUID patient, String rpps) {
        return team.activeProfessionalByRpps(rpps).compose(pro -> streams.withTransaction(tx -> {
            UUID professional = UUID.fromString(pro.getString("id"));
            return CareTeam.blocked(tx.sql(), patient, professional).compose(blocked -> blocked
                    ? Future.failedFuture(ApiError.of(409, "professional_blocked", "You blocked this professional: unblock them first."))
                    : CareRequestQueries.settlePending(tx.sql(), patient, professional, "accepted", OffsetDateTime.now(clock))
                            .compose(v -> begin(tx, patient, professional, "declared", null)));
        }));
    }

    /** The patient ends the relationship; only a new declaration or acceptance by the patient starts it again. */
    public Future<Void> end(UUID patient, UUID professional) {
        return streams.withTransaction(tx -> tx.sql()
                .preparedQuery("DELETE FROM care_relationship WHERE patient_id = $1 AND professional_id = $2")
                .execute(Tuple.of(patient, professional))
                .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(ApiError.notFound("not_found", "This professional is not in your care team.")))
                .compose(v -> team.careChanged(tx.sql(), patient, professional, false))
                .compose(v -> audit.append(tx.sql(), AuditEvent.of("patient", patient.toString(), "care.end", "success")
                        .patient(patient).detail("professional", professional.toString())))
                .compose(v -> tx.append(professional, "care.ended", new JsonObject().put("patientId", patient.toString())))
                .mapEmpty());
    }

    /**
     * Blocking also ends the care relationship and declines a pending request, in one statement: a blocked
     * professional sees nothing, and is told as when the patient ends or declines ({@code care.ended},
     * {@code care.declined}), never that they are blocked.
     */
    public Future<JsonObject> block(UUID patient, String rpps) {
        return team.professionalByRpps(rpps).compose(pro -> streams.withTransaction(tx -> {
            UUID professional = UUID.fromString(pro.getString("id"));
            return tx.sql().preparedQuery("""
                            WITH blocking AS (
                                INSERT INTO professional_block (patient_id, professional_id) VALUES ($1, $2) ON CONFLICT DO NOTHING),
                            ended AS (
                                DELETE FROM care_relationship WHERE patient_id = $1 AND professional_id = $2 RETURNING 1),
                            declined AS (
                                UPDATE care_request SET status = 'declined', decided_at = $3
                                WHERE patient_id = $1 AND professional_id = $2 AND status = 'pending' RETURNING id)
                            SELECT EXISTS (SELECT 1 FROM ended) AS ended, (SELECT array_agg(id) FROM declined) AS declined""")
                    .execute(Tuple.of(patient, professional, OffsetDateTime.now(clock)))
                    .compose(rows -> {
                        Row row = rows.iterator().next();
                        Future<Void> told = !row.getBoolean("ended") ? Future.succeededFuture()
                                : tx.append(professional, "care.ended", new JsonObject().put("patientId", patient.toString()));
                        UUID[] declined = row.getArrayOfUUIDs("declined");
                        for (UUID request : declined == null ? new UUID[0] : declined) {
                            told = told.compose(v -> tx.append(professional, "care.declined", new JsonObject()
                                    .put("requestId", request.toString()).put("patientId", patient.toString())));
                        }
                        return told.compose(v -> team.careChanged(tx.sql(), patient, professional, false));
                    })
                    .map(pro);
        }));
    }

    public Future<JsonArray> pendingFor(UUID patient) {
        return CareRequestQueries.pendingFor(streams.pool(), patient);
    }

    public Future<JsonArray> requestsOf(UUID professional) {
        return CareRequestQueries.requestsOf(streams.pool(), professional);
    }

    private Future<JsonObject> begin(StreamTransaction tx, UUID patient, UUID professional, String origin, UUID requestId) {
        SqlConnection sql = tx.sql();
        return sql.preparedQuery("""
                        INSERT INTO care_relationship (patient_id, professional_id, origin, created_at) VALUES ($1, $2, $3, $4)
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(patient, professional, origin, OffsetDateTime.now(clock)))
                .compose(v -> team.careChanged(sql, patient, professional, true))
                .compose(v -> audit.append(sql, AuditEvent.of("patient", patient.toString(), "care.begin", "success")
                        .patient(patient).detail("professional", professional.toString()).detail("origin", origin)))
                .compose(v -> sql.preparedQuery("SELECT display_name FROM account WHERE id = $1").execute(Tuple.of(patient)))
                .compose(rows -> {
                    JsonObject told = new JsonObject().put("patientId", patient.toString())
                            .put("patientName", rows.iterator().next().getString("display_name")).put("origin", origin);
                    return requestId == null ? tx.append(professional, "care.started", told)
                            : tx.append(professional, "care.accepted", told.put("requestId", requestId.toString()));
                })
                .compose(v -> CareRequestQueries.professional(sql, professional))
                .map(row -> CareRequestQueries.publicCard(row).put("origin", origin));
    }
}

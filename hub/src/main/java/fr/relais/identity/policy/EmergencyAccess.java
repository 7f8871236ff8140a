package fr.relais.identity.policy;

import fr.relais.audit.AuditEvent;
import fr.relais.audit.AuditLog;
import fr.relais.error.ApiError;
import fr.relais.identity.Ins;
import fr.relais.principal.Principal;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Break-glass: a professional facing an emergency opens a patient's record without a care relationship, by the
 * patient's INS and with a stated reason. Refused if the patient objected or blocked them; always audited, and
 * the accesses it allows appear in the patient's history flagged as emergency, with the reason (sealed at rest,
 * see {@link EmergencyReasons}); the patient is told at once by a {@code record.emergency_access} event, which
 * carries no reason: events travel and are kept in clear, the history is opened for the patient alone; and by a
 * security email ({@link EmergencyAccessNotice}) that says even less. The access ends by itself at its expiry
 * ({@link AccessPolicy} grants only unexpired ones).
 */
public final class EmergencyAccess {
    private final Pool pool;
    private final Streams streams;
    private final AuditLog audit;
    private final EmergencyReasons reasons;
    private final EmergencyAccessNotice notice;
    private final Duration duration;
    private final Clock clock;

    public EmergencyAccess(Pool pool, Streams streams, AuditLog audit, EmergencyReasons reasons, EmergencyAccessNotice notice,
                           Duration duration, Clock clock) {
        this.pool = pool;
        this.streams = streams;
        this.audit = audit;
        this.reasons = reasons;
        this.notice = notice;
        this.duration = duration;
        this.clock = clock;
    }

    public Future<JsonObject> open(Principal professional, Ins ins, String reason, String ip) {
        return pool.preparedQuery("""
                        SELECT p.account_id, a.email, p.emergency_access_objection,
                               EXISTS (SELECT 1 FROM professional_block b
                                       WHERE b.patient_id = p.account_id AND b.professional_id = $2) AS blocked
                        FROM patient p JOIN account a ON a.id = p.account_id WHERE p.ins = $1""")
                .execute(Tuple.of(ins.value(), professional.id()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(ApiError.notFound("patient_not_found", "No patient has this INS."));
                    }
                    Row row = rows.iterator().next();
                    UUID patient = row.getUUID("account_id");
                    AuditEvent event = AuditEvent.of("professional", professional.id().toString(), "emergency_access.open",
                            "success").patient(patient).from(ip);
                    if (row.getBoolean("emergency_access_objection") || row.getBoolean("blocked")) {
                        return audit.append(event.detail("refused", true).withOutcome("denied"))
                                .compose(v -> Future.failedFuture(ApiError.of(403, "emergency_access_refused",
                                        "This patient refuses emergency access to their record.")));
                    }
                    OffsetDateTime expires = OffsetDateTime.now(clock).plus(duration);
                    UUID id = UUID.randomUUID();
                    return streams.withTransaction(tx -> tx.sql().preparedQuery("""
                                            INSERT INTO emergency_access (id, patient_id, professional_id, reason_sealed, key_id, expires_at)
                                            VALUES ($1, $2, $3, $4, $5, $6)""")
                                    .execute(Tuple.of(id, patient, professional.id(), reasons.seal(id, reason), reasons.keyId(), expires))
                                    .compose(v -> audit.append(tx.sql(), event))
                                    .compose(v -> tx.append(patient, "record.emergency_access", new JsonObject()
                                            .put("actorId", professional.id().toString())
                                            .put("expiresAt", expires.toInstant().toString())))
                                    .compose(v -> notice.queue(tx.sql(), id, patient, row.getString("email"), duration)))
                            .onSuccess(v -> notice.send())
                            .map(v -> new JsonObject().put("patientId", patient.toString())
                                    .put("expiresAt", expires.toInstant().toString()));
                });
    }
}

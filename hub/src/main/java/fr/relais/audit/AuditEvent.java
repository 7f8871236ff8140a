package fr.relais.audit;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * One security event or one action on a patient's data by someone other than the patient.
 * {@code details} must hold identifiers and outcomes only, never health data nor a person's account id, INS or email:
 * the log keeps its rows after a patient's space is closed. {@link AuditLog} stores {@code actorId} and
 * {@code patientId} as {@link AuditPseudonyms pseudonyms}.
 *
 * @param actorKind  patient, professional, admin, integrator, system or anonymous
 * @param actorId    the actor's id, or null for an anonymous caller
 * @param action     what happened, e.g. {@code login.password}, {@code token.refresh_reuse}, {@code record.read}
 * @param outcome    {@code success}, {@code failure} or {@code denied}
 * @param patientId  the patient whose data was concerned, if any
 * @param ip         the caller's address, if known
 */
public record AuditEvent(String actorKind, String actorId, String action, String outcome, UUID patientId, String ip,
                         JsonObject details) {

    public static AuditEvent of(String actorKind, String actorId, String action, String outcome) {
        return new AuditEvent(actorKind, actorId, action, outcome, null, null, new JsonObject());
    }

    public AuditEvent patient(UUID patient) {
        return new AuditEvent(actorKind, actorId, action, outcome, patient, ip, details);
    }

    public AuditEvent from(String address) {
        return new AuditEvent(actorKind, actorId, action, outcome, patientId, address, details);
    }

    public AuditEvent withOutcome(String other) {
        return new AuditEvent(actorKind, actorId, action, other, patientId, ip, details);
    }

    public AuditEvent detail(String key, Object value) {
        return new AuditEvent(actorKind, actorId, action, outcome, patientId, ip, details.copy().put(key, value));
    }
}

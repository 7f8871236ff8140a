package fr.relais.record;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The patient a deposit names, as the depositor named them: by {@code ins} or by {@code patientId} (account id),
 * each null when absent. A patient depositing in their own record may name nobody.
 */
public record PatientRef(String ins, String patientId) {
    public static PatientRef byId(UUID patient) {
        return new PatientRef(null, patient.toString());
    }

    /** From a request body; a member that is not text is kept as text that names nobody. */
    static PatientRef from(JsonObject body) {
        return new PatientRef(text(body.getValue("ins")), text(body.getValue("patientId")));
    }

    private static String text(Object value) {
        return value == null ? null : value instanceof String s ? s : "";
    }

    void addTo(JsonObject json) {
        if (ins != null) {
            json.put("ins", ins);
        }
        if (patientId != null) {
            json.put("patientId", patientId);
        }
    }
}

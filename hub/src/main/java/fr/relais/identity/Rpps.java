package fr.relais.identity;

import fr.relais.error.ApiError;

/** A health professional's RPPS number: 11 digits. */
public record Rpps(String value) {

    public static Rpps parse(String raw, String field) {
        String compact = raw == null ? "" : raw.replaceAll("\\s", "");
        if (!compact.matches("[0-9]{11}")) {
            throw ApiError.invalidField(field, "An RPPS number has 11 digits.");
        }
        return new Rpps(compact);
    }
}

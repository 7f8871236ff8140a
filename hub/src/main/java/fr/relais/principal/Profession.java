package fr.relais.principal;

import fr.relais.error.ApiError;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The regulated health professions whose members use Relais. */
public enum Profession {
    PHYSICIAN, PHARMACIST, NURSE, MIDWIFE, DENTIST, PHYSIOTHERAPIST, BIOLOGIST;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Profession parse(String raw, String field) {
        for (Profession profession : values()) {
            if (profession.wireName().equals(raw)) {
                return profession;
            }
        }
        throw ApiError.invalidField(field, "The profession must be one of "
                + Arrays.stream(values()).map(Profession::wireName).collect(Collectors.joining(", ")) + ".");
    }
}

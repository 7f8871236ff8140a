package fr.relais.identity;

import fr.relais.error.ApiError;
import java.util.regex.Pattern;

/**
 * A patient's national health identifier (INS): the 13-character NIR and its 2-digit control key,
 * key = 97 − (NIR mod 97), where Corsica's departments 2A and 2B count as 19 and 18.
 */
public record Ins(String value) {
    private static final Pattern SHAPE = Pattern.compile("[1-478][0-9]{4}(?:[0-9]{2}|2[AB])[0-9]{6}[0-9]{2}");

    /** Parses an INS written with or without spaces; fails naming {@code field} when it is not a valid one. */
    public static Ins parse(String raw, String field) {
        String compact = raw == null ? "" : raw.replaceAll("[\\s.-]", "").toUpperCase();
        if (!SHAPE.matcher(compact).matches()) {
            throw ApiError.invalidField(field, "An INS has 15 characters: the 13 of the NIR, then its 2-digit key.");
        }
        long nir = Long.parseLong(compact.substring(0, 13).replace("2A", "19").replace("2B", "18"));
        int key = Integer.parseInt(compact.substring(13));
        if (key != 97 - (int) (nir % 97)) {
            throw ApiError.invalidField(field, "The INS control key does not match its NIR.");
        }
        return new Ins(compact);
    }

    /** Never print the identifier itself (it is personal data): only its last two characters. */
    @Override
    public String toString() {
        return "INS(…" + value.substring(value.length() - 2) + ")";
    }
}

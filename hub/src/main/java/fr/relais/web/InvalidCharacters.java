package fr.relais.web;

import fr.relais.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Two characters are refused in every text a client sends, with one code: the NUL character (U+0000), which no
 * field needs and PostgreSQL cannot store in a text column, and half of a surrogate pair (a lone {@code \uD800}–
 * {@code \uDFFF} escape in JSON), which is not text: encoded, it turns into a replacement character, so that many
 * different inputs (a password, a key) would be taken for the same one.
 */
public final class InvalidCharacters {
    public static final String CODE = "invalid_character";

    private InvalidCharacters() {
    }

    public static boolean in(CharSequence text) {
        if (text instanceof String string && string.indexOf('\0') >= 0) {
            return true; // an intrinsic, many times faster than the loop below
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return true;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++; // a whole pair: one character beyond the BMP
            }
        }
        return false;
    }

    /** Where such a character sits in a JSON value, as a field path such as {@code message.attachments[0].filename}; null if nowhere. */
    public static String findIn(Object json, String path) {
        if (json instanceof String text) {
            return in(text) ? path : null;
        }
        if (json instanceof JsonObject object) {
            for (Map.Entry<String, Object> member : object) {
                String field = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                String found = in(member.getKey()) ? field : findIn(member.getValue(), field);
                if (found != null) {
                    return found;
                }
            }
        } else if (json instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                String found = findIn(array.getValue(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The refusal, naming where the character was (a body field, a query parameter, a header, the path). */
    public static ApiError refused(String field) {
        return ApiError.badRequest(CODE, "Text may not contain the NUL character (U+0000) nor half of a surrogate pair (a lone \\uD800-\\uDFFF escape).").with("field", field);
    }
}

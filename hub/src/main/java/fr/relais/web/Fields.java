package fr.relais.web;

import fr.relais.error.ApiError;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.regex.Pattern;

/** Validation of request fields at the edge: each failure names its field. */
public final class Fields {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}");

    private Fields() {
    }

    /**
     * An idempotency key (the {@code Idempotency-Key} header or the {@code idempotencyKey} member): null when none was
     * sent, else 1 to 200 characters. Anything else is refused, never ignored: an ignored key writes a retry twice.
     */
    public static String idempotencyKey(Object value) {
        if (value != null && (!(value instanceof String key) || key.isBlank() || key.length() > 200)) {
            throw ApiError.invalidField("idempotencyKey", "An idempotency key has 1 to 200 characters.");
        }
        return (String) value;
    }

    /**
     * The request's idempotency key from its {@code Idempotency-Key} header or its body's {@code idempotencyKey};
     * both, if they differ, are refused (which one was meant?).
     */
    public static String idempotencyKey(String header, JsonObject body) {
        Object member = body.getValue("idempotencyKey");
        if (header != null && member != null && !header.equals(member)) {
            throw ApiError.invalidField("idempotencyKey", "The Idempotency-Key header and the idempotencyKey member differ: send one.");
        }
        return idempotencyKey(header != null ? header : member);
    }

    public static String text(JsonObject body, String field, int min, int max) {
        Object value = body.getValue(field);
        if (!(value instanceof String text) || text.strip().length() < min || text.length() > max) {
            throw ApiError.invalidField(field, field + " must be text of " + min + " to " + max + " characters.");
        }
        return text.strip();
    }

    public static String optionalText(JsonObject body, String field, int max) {
        return body.getValue(field) == null ? null : text(body, field, 1, max);
    }

    public static String email(JsonObject body, String field) {
        String email = text(body, field, 3, 320);
        if (!EMAIL.matcher(email).matches()) {
            throw ApiError.invalidField(field, field + " must be an email address.");
        }
        return email;
    }

    public static final int PASSWORD_MAX_LENGTH = 256;

    public static String password(JsonObject body, String field, int minLength) {
        Object value = body.getValue(field);
        if (!(value instanceof String password) || password.length() < minLength || password.length() > PASSWORD_MAX_LENGTH) {
            throw ApiError.invalidField(field, "The password must have " + minLength + " to " + PASSWORD_MAX_LENGTH + " characters.");
        }
        return password;
    }

    public static UUID uuid(JsonObject body, String field) {
        try {
            return UUID.fromString(text(body, field, 36, 36));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidField(field, field + " must be an id.");
        }
    }

    public static UUID optionalUuid(JsonObject body, String field) {
        return body.getValue(field) == null ? null : uuid(body, field);
    }

    /** The bytes of a base64 text field; 400 naming {@code field} when it is missing, not base64, or empty. */
    public static byte[] base64(JsonObject body, String key, String field) {
        byte[] bytes;
        try {
            bytes = body.getValue(key) instanceof String text ? java.util.Base64.getDecoder().decode(text) : null;
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length == 0) {
            throw ApiError.invalidField(field, "The content must be base64 and not empty.");
        }
        return bytes;
    }

    public static UUID pathId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiError.nothingHere();
        }
    }
}

package fr.relais.command;

import fr.relais.error.ApiError;
import fr.relais.secrets.MasterKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What an idempotency key promises: the same request again. A retry is recognised by its key, and answered with
 * the first result only if it asks for the same thing; a key sent again with another body is refused (409
 * {@code idempotency_key_reused}) rather than answered with the result of a request the client did not make this
 * time. The same rule serves REST (the key is stored with the message or the document) and socket commands
 * ({@link IdempotencyStore}).
 *
 * <p>A fingerprint is an HMAC-SHA256, under a key derived from the master key, of the caller, the operation and the
 * body in a canonical form: object members sorted by name at every level (a client's JSON library may write them
 * in any order), the idempotency key itself left out wherever it is written. Keyed and bound to the caller, because
 * a body can be a short health text that a plain hash would let anyone with the database guess.
 */
public final class RequestFingerprints {
    private static final String KEY_MEMBER = "idempotencyKey";

    private final MasterKey masterKey;

    public RequestFingerprints(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    public byte[] of(UUID caller, String operation, JsonObject body) {
        return masterKey.keyedHash("idempotent-requests", caller + "\n" + operation + "\n" + canonical(body).encode());
    }

    /**
     * Fails with 409 {@code idempotency_key_reused} if the key was first used for another request. A result kept
     * from before fingerprints were stored ({@code stored} null, the {@code request_hmac} column of the row) is
     * answered as it was then.
     */
    public static void requireSame(Buffer stored, byte[] now) {
        if (stored != null && !MessageDigest.isEqual(stored.getBytes(), now)) {
            throw reused();
        }
    }

    public static ApiError reused() {
        return ApiError.of(409, "idempotency_key_reused",
                "This idempotency key was used for another request; send a new request with a new key.");
    }

    private static JsonObject canonical(JsonObject object) {
        JsonObject sorted = new JsonObject();
        for (String name : new TreeSet<>(object.fieldNames())) {
            if (!name.equals(KEY_MEMBER)) {
                sorted.put(name, canonicalValue(object.getValue(name)));
            }
        }
        return sorted;
    }

    private static Object canonicalValue(Object value) {
        if (value instanceof JsonObject object) {
            return canonical(object);
        }
        if (value instanceof JsonArray array) {
            JsonArray copy = new JsonArray();
            array.forEach(item -> copy.add(canonicalValue(item)));
            return copy;
        }
        return value;
    }
}

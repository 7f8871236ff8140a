package fr.relais.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * How a row's hash is computed: SHA-256 over the previous row's hash and a canonical JSON encoding of the row
 * (fixed field order, object keys sorted), so that the database's own re-ordering of jsonb keys changes nothing.
 */
final class AuditChain {
    static final byte[] GENESIS = new byte[32];
    static final int CHAINS = 32;

    private AuditChain() {
    }

    /** The chain of an event: by its patient, else its actor, else chain 0. */
    static short chainOf(AuditEvent event) {
        String key = event.patientId() != null ? event.patientId().toString() : event.actorId();
        return key == null ? 0 : (short) Math.floorMod(key.hashCode(), CHAINS);
    }

    static byte[] hash(byte[] previous, short chain, long seq, Instant at, AuditEvent event) {
        JsonArray canonical = new JsonArray()
                .add(chain)
                .add(seq)
                .add(at.toString())
                .add(event.actorKind())
                .add(event.actorId())
                .add(event.action())
                .add(event.outcome())
                .add(event.patientId() == null ? null : event.patientId().toString())
                .add(event.ip())
                .add(sorted(event.details()));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous);
            sha.update(canonical.encode().getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject sorted(JsonObject object) {
        Map<String, Object> ordered = new TreeMap<>();
        object.forEach(entry -> ordered.put(entry.getKey(),
                entry.getValue() instanceof JsonObject nested ? sorted(nested) : entry.getValue()));
        return new JsonObject(new java.util.LinkedHashMap<>(ordered));
    }

    static UUID uuidOrNull(Object value) {
        return value == null ? null : UUID.fromString(value.toString());
    }
}

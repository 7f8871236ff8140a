package fr.relais.audit;

import fr.relais.secrets.MasterKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * How a row's hash is computed: over the previous row's hash and a canonical JSON encoding of the row (fixed field
 * order, object keys sorted, so that the database's own re-ordering of jsonb keys changes nothing). Rows are keyed
 * (HMAC-SHA256 under a key derived from the master key); rows written before keys existed were plain SHA-256, which
 * anyone can recompute, and are only protected by the keyed rows and signed checkpoints that come after them.
 */
final class AuditChain {
    static final byte[] GENESIS = new byte[32];
    static final int CHAINS = 32;
    /** {@code audit_log.alg}: plain SHA-256, before keys. */
    static final short UNKEYED = 1;
    /** {@code audit_log.alg}: HMAC-SHA256 under the master-key-derived chain key. */
    static final short KEYED = 2;
    private static final String PURPOSE = "audit-chain";

    private final MasterKey masterKey;

    AuditChain(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    /** The chain of an event (as stored, so pseudonymised): by its patient, else its actor, else chain 0. */
    static short chainOf(AuditEvent event) {
        String key = event.patientId() != null ? event.patientId().toString() : event.actorId();
        return key == null ? 0 : (short) Math.floorMod(key.hashCode(), CHAINS);
    }

    byte[] hash(short alg, byte[] previous, short chain, long seq, Instant at, AuditEvent event) {
        return switch (alg) {
            case KEYED -> masterKey.keyedHash(PURPOSE, HexFormat.of().formatHex(previous) + canonical(chain, seq, at, event));
            case UNKEYED -> unkeyed(previous, chain, seq, at, event);
            default -> throw new IllegalArgumentException("unknown audit hash algorithm " + alg);
        };
    }

    /** The hash rows had before the log was keyed: public, so anyone with the rows can recompute it. */
    static byte[] unkeyed(byte[] previous, short chain, long seq, Instant at, AuditEvent event) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous);
            sha.update(canonical(chain, seq, at, event).getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String canonical(short chain, long seq, Instant at, AuditEvent event) {
        return withEvent(new JsonArray().add(chain).add(seq), at, event).encode();
    }

    /** Adds the event's fields, in their fixed order, after {@code fields}: what both chain hashes and pending MACs cover. */
    static JsonArray withEvent(JsonArray fields, Instant at, AuditEvent event) {
        return fields
                .add(at.toString())
                .add(event.actorKind())
                .add(event.actorId())
                .add(event.action())
                .add(event.outcome())
                .add(event.patientId() == null ? null : event.patientId().toString())
                .add(event.ip())
                .add(sorted(event.details()));
    }

    private static JsonObject sorted(JsonObject object) {
        Map<String, Object> ordered = new TreeMap<>();
        object.forEach(entry -> ordered.put(entry.getKey(),
                entry.getValue() instanceof JsonObject nested ? sorted(nested) : entry.getValue()));
        return new JsonObject(new LinkedHashMap<>(ordered));
    }

    static UUID uuidOrNull(Object value) {
        return value == null ? null : UUID.fromString(value.toString());
    }
}

package fr.relais.audit;

import fr.relais.secrets.MasterKey;
import io.vertx.core.json.JsonArray;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.UUID;

/**
 * The MAC of a pending event: HMAC-SHA256, under a key derived from the master key, of its id and canonical content.
 * Without the master key nobody can alter a pending event, forge one, or copy one under another id unnoticed.
 */
final class PendingSeal {
    private static final String PURPOSE = "audit-pending";
    private static final String VERSION = "relais audit pending 1";

    private final MasterKey masterKey;

    PendingSeal(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    byte[] mac(UUID id, Instant at, AuditEvent stored) {
        return masterKey.keyedHash(PURPOSE, AuditChain.withEvent(new JsonArray().add(VERSION).add(id.toString()), at, stored).encode());
    }

    boolean holds(PendingEvent pending) {
        return MessageDigest.isEqual(mac(pending.id(), pending.at(), pending.event()), pending.mac());
    }
}

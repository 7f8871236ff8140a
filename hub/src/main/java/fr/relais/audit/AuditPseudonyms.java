package fr.relais.audit;

import fr.relais.secrets.MasterKey;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The references audit rows hold instead of people's ids: an HMAC of the id under a key derived from the master key,
 * shaped as a UUID (version 8). The same person always gets the same pseudonym, so their rows can still be found by
 * whoever holds the master key; once their account is deleted, nothing in the database leads back to them.
 */
public final class AuditPseudonyms {
    private static final String PURPOSE = "audit-pseudonym";

    private final MasterKey masterKey;

    AuditPseudonyms(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    /** The pseudonym of an account (patient, professional, admin) or integrator id. */
    public UUID of(UUID id) {
        return of(id.toString());
    }

    /** The event as it is stored: its actor and patient replaced by their pseudonyms. */
    AuditEvent applyTo(AuditEvent event) {
        return new AuditEvent(event.actorKind(), event.actorId() == null ? null : of(event.actorId()).toString(),
                event.action(), event.outcome(), event.patientId() == null ? null : of(event.patientId()), event.ip(),
                event.details());
    }

    private UUID of(String id) {
        byte[] mac = masterKey.keyedHash(PURPOSE, id);
        mac[6] = (byte) ((mac[6] & 0x0f) | 0x80);
        mac[8] = (byte) ((mac[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(mac);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}

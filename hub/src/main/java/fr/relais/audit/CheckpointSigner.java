package fr.relais.audit;

import fr.relais.secrets.MasterKey;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Signs checkpoints and checks their signatures, under a key derived from the master key. */
final class CheckpointSigner {
    private static final String PURPOSE = "audit-checkpoint";

    private final MasterKey masterKey;

    CheckpointSigner(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    Checkpoint sign(UUID id, Instant takenAt, List<Checkpoint.Head> heads) {
        Checkpoint unsigned = new Checkpoint(id, takenAt, heads, new byte[0]);
        return new Checkpoint(id, takenAt, heads, masterKey.keyedHash(PURPOSE, unsigned.signedText()));
    }

    boolean verifies(Checkpoint checkpoint) {
        return MessageDigest.isEqual(masterKey.keyedHash(PURPOSE, checkpoint.signedText()), checkpoint.signature());
    }
}

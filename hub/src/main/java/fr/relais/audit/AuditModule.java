package fr.relais.audit;

import fr.relais.config.AuditConfig;
import fr.relais.secrets.MasterKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * The audit feature, wired once per node: the {@link AuditLog} every feature appends to, the signed
 * {@link AuditCheckpoints} of the chains' heads, and the {@link AuditVerifier} behind {@code relais audit verify}.
 * Every key comes from the master key; none is in the database.
 */
public final class AuditModule {
    private final AuditLog log;
    private final AuditCheckpoints checkpoints;
    private final AuditVerifier verifier;

    public AuditModule(Vertx vertx, Pool pool, MasterKey masterKey, AuditConfig config, Clock clock) {
        AuditChain hashes = new AuditChain(masterKey);
        CheckpointSigner signer = new CheckpointSigner(masterKey);
        CheckpointFile file = new CheckpointFile(config.checkpointDir());
        this.log = new AuditLog(pool, hashes, new AuditPseudonyms(masterKey), clock);
        this.checkpoints = new AuditCheckpoints(vertx, pool, signer, file, config.checkpointEvery(), clock);
        this.verifier = new AuditVerifier(hashes, signer, file);
    }

    public AuditLog log() {
        return log;
    }

    public AuditVerifier verifier() {
        return verifier;
    }

    /** Lets {@link #checkpointIfDue} take checkpoints (a serving node only). */
    public void start() {
        checkpoints.start();
    }

    /**
     * Takes a signed checkpoint of the chain heads if {@code audit.checkpointEvery} passed since the last look and
     * the log moved (a job of the hub, every {@link AuditCheckpoints#LOOK_EVERY}).
     */
    public Future<Void> checkpointIfDue() {
        return checkpoints.takeIfDue();
    }
}

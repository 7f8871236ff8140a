package fr.relais.audit;

import fr.relais.config.AuditConfig;
import fr.relais.secrets.MasterKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * The audit feature, wired once per node: the {@link AuditLog} every feature appends to, the {@link AuditChainer} that
 * moves appended events into the chains, the signed {@link AuditCheckpoints} of the chains' heads, and the
 * {@link AuditVerifier} behind {@code relais audit verify}. Every key comes from the master key; none is in the database.
 */
public final class AuditModule {
    /** How often a node chains what was appended. */
    public static final java.time.Duration CHAIN_EVERY = AuditChainer.TICK;
    private final AuditLog log;
    private final AuditChainer chainer;
    private final AuditCheckpoints checkpoints;
    private final AuditVerifier verifier;

    public AuditModule(Vertx vertx, Pool pool, MasterKey masterKey, AuditConfig config, Clock clock) {
        AuditChain hashes = new AuditChain(masterKey);
        PendingSeal seal = new PendingSeal(masterKey);
        CheckpointSigner signer = new CheckpointSigner(masterKey);
        CheckpointFile file = new CheckpointFile(config.checkpointDir());
        this.chainer = new AuditChainer(pool, hashes, seal);
        this.log = new AuditLog(pool, seal, new AuditPseudonyms(masterKey), clock, chainer::wake);
        this.checkpoints = new AuditCheckpoints(vertx, pool, signer, file, config.checkpointEvery(), clock);
        this.verifier = new AuditVerifier(hashes, seal, signer, file);
    }

    public AuditLog log() {
        return log;
    }

    public AuditVerifier verifier() {
        return verifier;
    }

    /**
     * Starts the chainer and lets {@link #checkpointIfDue} take checkpoints (a serving node only). Events appended by
     * a process that does not serve (an admin command) wait in {@code audit_pending} for a serving node's chainer.
     */
    public void start() {
        chainer.start();
        checkpoints.start();
    }

    /**
     * Chains what was appended (a job of the hub, every {@link AuditChainer#TICK}): a batch now, or right after the
     * one running; stand-alone appends also wake the chainer at once.
     */
    public Future<Void> chainPending() {
        chainer.wake();
        return Future.succeededFuture();
    }

    /**
     * Takes a signed checkpoint of the chain heads if {@code audit.checkpointEvery} passed since the last look and
     * the log moved (a job of the hub, every {@link AuditCheckpoints#LOOK_EVERY}).
     */
    public Future<Void> checkpointIfDue() {
        return checkpoints.takeIfDue();
    }

    /** Stops chaining: a batch in flight finishes, none starts. */
    public void stop() {
        chainer.stop();
    }
}

package fr.relais.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Takes a signed checkpoint of every chain's head every {@code audit.checkpointEvery} (by the hub's clock) when
 * anything was appended since this node's last one, and keeps it twice: in {@code audit_checkpoint} and in this
 * node's {@link CheckpointFile}. Rows cut from the end of a chain are then found back to the latest checkpoint.
 * All of it is reactive SQL and Vert.x file system calls: nothing blocks the event loop.
 */
public final class AuditCheckpoints {
    /** How often a serving node looks whether a checkpoint is due (a job of the hub). */
    public static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Pool pool;
    private final CheckpointSigner signer;
    private final CheckpointFile file;
    private final Duration every;
    private final Clock clock;
    private volatile Instant lastLook;
    private Map<Integer, Long> lastTaken = Map.of();

    AuditCheckpoints(Vertx vertx, Pool pool, CheckpointSigner signer, CheckpointFile file, Duration every, Clock clock) {
        this.vertx = vertx;
        this.pool = pool;
        this.signer = signer;
        this.file = file;
        this.every = every;
        this.clock = clock;
    }

    /** From now on, {@link #takeIfDue} takes checkpoints; the first one is due one interval later. */
    void start() {
        lastLook = clock.instant();
    }

    /** Takes a checkpoint if one is due (and the node {@link #start}ed); called every {@link #LOOK_EVERY}, never twice at once. */
    Future<Void> takeIfDue() {
        Instant now = clock.instant();
        if (lastLook == null || now.isBefore(lastLook.plus(every))) {
            return Future.succeededFuture();
        }
        lastLook = now;
        return takeIfMoved(now);
    }

    private Future<Void> takeIfMoved(Instant now) {
        return heads().compose(heads -> {
            Map<Integer, Long> seqs = heads.stream().collect(Collectors.toMap(Checkpoint.Head::chain, Checkpoint.Head::seq));
            if (seqs.equals(lastTaken)) {
                return Future.succeededFuture();
            }
            Checkpoint checkpoint = signer.sign(UUID.randomUUID(), now.truncatedTo(ChronoUnit.MICROS), heads);
            return store(checkpoint)
                    .compose(v -> file.append(vertx, checkpoint).recover(e -> Future.failedFuture(checkpoint.id()
                            + " is in the database but could not be appended to " + file.path() + ": " + e.getMessage())))
                    .onSuccess(v -> lastTaken = seqs);
        });
    }

    private Future<List<Checkpoint.Head>> heads() {
        return pool.query("SELECT chain, seq, hash, keyed_from FROM audit_head").execute()
                .map(rows -> {
                    List<Checkpoint.Head> heads = new ArrayList<>();
                    rows.forEach(row -> heads.add(new Checkpoint.Head(row.getInteger("chain"), row.getLong("seq"),
                            HexFormat.of().formatHex(row.getBuffer("hash").getBytes()), row.getLong("keyed_from"))));
                    return heads;
                });
    }

    private Future<Void> store(Checkpoint checkpoint) {
        return pool.preparedQuery("INSERT INTO audit_checkpoint (id, taken_at, heads, signature) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(checkpoint.id(), OffsetDateTime.ofInstant(checkpoint.takenAt(), ZoneOffset.UTC),
                        checkpoint.headsJson(), Buffer.buffer(checkpoint.signature())))
                .mapEmpty();
    }
}

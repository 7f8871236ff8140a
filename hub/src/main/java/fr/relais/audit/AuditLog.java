package fr.relais.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The append-only audit log, as {@value AuditChain#CHAINS} hash chains: each row carries the hash of the one
 * before it in its chain, so that a row removed, altered or inserted afterwards breaks the chain ({@code relais
 * audit verify} finds the first broken row). The chain is chosen by the patient (or else the actor) the event
 * concerns, so that events about different people append in parallel. Appending takes that chain's head row
 * lock: rows chain in commit order, and an append inside a caller's transaction commits or rolls back with it.
 */
public final class AuditLog {
    private final Pool pool;

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    /** Appends in its own transaction. */
    public Future<Void> append(AuditEvent event) {
        return pool.withTransaction(tx -> append(tx, event));
    }

    /** Appends inside the caller's transaction ({@code tx} must be one). */
    public Future<Void> append(SqlClient tx, AuditEvent event) {
        short chain = AuditChain.chainOf(event);
        return tx.preparedQuery("SELECT seq, hash FROM audit_head WHERE chain = $1 FOR UPDATE").execute(Tuple.of(chain))
                .compose(head -> {
            Row row = head.iterator().next();
            long seq = row.getLong("seq") + 1;
            byte[] previous = row.getBuffer("hash").getBytes();
            Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
            byte[] hash = AuditChain.hash(previous, chain, seq, at, event);
            return tx.preparedQuery("""
                            INSERT INTO audit_log (chain, seq, at, actor_kind, actor_id, action, outcome, patient_id, ip, details,
                                                   prev_hash, hash)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""")
                    .execute(Tuple.tuple()
                            .addShort(chain).addLong(seq).addOffsetDateTime(OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                            .addString(event.actorKind()).addString(event.actorId())
                            .addString(event.action()).addString(event.outcome())
                            .addUUID(event.patientId()).addString(event.ip())
                            .addValue(event.details() == null ? new JsonObject() : event.details())
                            .addBuffer(io.vertx.core.buffer.Buffer.buffer(previous))
                            .addBuffer(io.vertx.core.buffer.Buffer.buffer(hash)))
                    .compose(inserted -> tx.preparedQuery("UPDATE audit_head SET seq = $2, hash = $3 WHERE chain = $1")
                            .execute(Tuple.of(chain, seq, io.vertx.core.buffer.Buffer.buffer(hash))))
                    .mapEmpty();
        });
    }
}

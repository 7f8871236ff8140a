package fr.relais.audit;

import fr.relais.secrets.MasterKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The append-only audit log, as {@value AuditChain#CHAINS} hash chains: each row carries the keyed hash of the one
 * before it in its chain, so that a row removed, altered or inserted afterwards breaks the chain ({@code relais
 * audit verify} finds the first broken row), and without the master key nobody can compute the hashes again. The
 * chain is chosen by the patient (or else the actor) the event concerns, so that events about different people
 * append in parallel. Appending takes that chain's head row lock: rows chain in commit order, and an append inside
 * a caller's transaction commits or rolls back with it. People are stored as {@link AuditPseudonyms pseudonyms}.
 */
public final class AuditLog {
    private final Pool pool;
    private final AuditChain chains;
    private final AuditPseudonyms pseudonyms;
    private final java.time.Clock clock;

    AuditLog(Pool pool, AuditChain chains, AuditPseudonyms pseudonyms, java.time.Clock clock) {
        this.pool = pool;
        this.chains = chains;
        this.pseudonyms = pseudonyms;
        this.clock = clock;
    }

    /** What audit rows hold for this person, as actor ({@code actor_id}) or as patient ({@code patient_id}). */
    public UUID pseudonym(UUID person) {
        return pseudonyms.of(person);
    }

    /** Appends in its own transaction. */
    public Future<Void> append(AuditEvent event) {
        return pool.withTransaction(tx -> append(tx, event));
    }

    /** Appends inside the caller's transaction ({@code tx} must be one). */
    public Future<Void> append(SqlClient tx, AuditEvent event) {
        AuditEvent stored = pseudonyms.applyTo(event);
        short chain = AuditChain.chainOf(stored);
        return tx.preparedQuery("SELECT seq, hash FROM audit_head WHERE chain = $1 FOR UPDATE").execute(Tuple.of(chain))
                .compose(head -> {
            Row row = head.iterator().next();
            long seq = row.getLong("seq") + 1;
            byte[] previous = row.getBuffer("hash").getBytes();
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            byte[] hash = chains.hash(AuditChain.KEYED, previous, chain, seq, at, stored);
            return tx.preparedQuery("""
                            INSERT INTO audit_log (chain, seq, at, actor_kind, actor_id, action, outcome, patient_id, ip, details,
                                                   prev_hash, hash, alg)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""")
                    .execute(Tuple.tuple()
                            .addShort(chain).addLong(seq).addOffsetDateTime(OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                            .addString(stored.actorKind()).addString(stored.actorId())
                            .addString(stored.action()).addString(stored.outcome())
                            .addUUID(stored.patientId()).addString(stored.ip())
                            .addValue(stored.details() == null ? new JsonObject() : stored.details())
                            .addBuffer(Buffer.buffer(previous))
                            .addBuffer(Buffer.buffer(hash))
                            .addShort(AuditChain.KEYED))
                    .compose(inserted -> tx.preparedQuery("UPDATE audit_head SET seq = $2, hash = $3 WHERE chain = $1")
                            .execute(Tuple.of(chain, seq, Buffer.buffer(hash))))
                    .mapEmpty();
        });
    }
}

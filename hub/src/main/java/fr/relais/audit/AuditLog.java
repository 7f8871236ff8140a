package fr.relais.audit;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The append-only audit log, as {@value AuditChain#CHAINS} hash chains: each row carries the keyed hash of the one
 * before it in its chain, so that a row removed, altered or inserted afterwards breaks the chain ({@code relais
 * audit verify} finds the first broken row), and without the master key nobody can compute the hashes again.
 *
 * <p>Appending is one INSERT of the event, pseudonymised and sealed by its {@link PendingSeal MAC}, into
 * {@code audit_pending}, inside the caller's transaction: it commits or rolls back with the caller's write and locks
 * nothing another write needs. The {@link AuditChainer} moves committed events into the chains shortly after.
 * People are stored as {@link AuditPseudonyms pseudonyms}.
 */
public final class AuditLog {
    private final Pool pool;
    private final PendingSeal seal;
    private final AuditPseudonyms pseudonyms;
    private final Clock clock;
    private final Runnable appendedAlone;

    AuditLog(Pool pool, PendingSeal seal, AuditPseudonyms pseudonyms, Clock clock, Runnable appendedAlone) {
        this.pool = pool;
        this.seal = seal;
        this.pseudonyms = pseudonyms;
        this.clock = clock;
        this.appendedAlone = appendedAlone;
    }

    /** What audit rows hold for this person, as actor ({@code actor_id}) or as patient ({@code patient_id}). */
    public UUID pseudonym(UUID person) {
        return pseudonyms.of(person);
    }

    /** Appends in its own transaction, then wakes the chainer. */
    public Future<Void> append(AuditEvent event) {
        return pool.withTransaction(tx -> append(tx, event)).onSuccess(v -> appendedAlone.run());
    }

    /** Appends inside the caller's transaction ({@code tx} must be one): one INSERT, no lock held. */
    public Future<Void> append(SqlClient tx, AuditEvent event) {
        return tx.preparedQuery("INSERT INTO audit_pending " + COLUMNS + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(prepare(event).values())
                .mapEmpty();
    }

    /** An event pseudonymised and sealed, for a caller that inserts it within a statement of its own. */
    public record PendingRow(Tuple values) {
        /** The ten values of the row, to add to the caller's parameters; null ones where nothing is audited. */
        public static final int VALUES = 10;
    }

    private static final String COLUMNS = "(id, at, actor_kind, actor_id, action, outcome, patient_id, ip, details, mac)";

    /**
     * The insert of a {@link PendingRow} as a data-modifying CTE body, for a write done in one statement (so the
     * event commits with it): the row's values are the parameters {@code $first} to {@code $first+9}, and it is
     * inserted once per row of {@code from} (SQL naming a relation of the caller's statement) if {@code $first} is
     * not null.
     */
    public static String insertPending(int first, String from) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < PendingRow.VALUES; i++) {
            values.append(i == 0 ? "" : ", ").append('$').append(first + i);
        }
        return "INSERT INTO audit_pending " + COLUMNS + " SELECT " + values + " FROM " + from
                + " WHERE $" + first + "::uuid IS NOT NULL";
    }

    /** The row {@code event} becomes: pseudonymised, timed by the hub's clock and sealed by its MAC. */
    public PendingRow prepare(AuditEvent event) {
        AuditEvent stored = pseudonyms.applyTo(event);
        if (stored.details() == null) {
            stored = new AuditEvent(stored.actorKind(), stored.actorId(), stored.action(), stored.outcome(),
                    stored.patientId(), stored.ip(), new JsonObject());
        }
        UUID id = UUID.randomUUID();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return new PendingRow(Tuple.tuple()
                .addUUID(id).addOffsetDateTime(OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .addString(stored.actorKind()).addString(stored.actorId())
                .addString(stored.action()).addString(stored.outcome())
                .addUUID(stored.patientId()).addString(stored.ip())
                .addValue(stored.details())
                .addBuffer(Buffer.buffer(seal.mac(id, at, stored))));
    }
}

package fr.relais.record;

import fr.relais.identity.account.AccountErasure;
import fr.relais.identity.policy.Blocked;
import fr.relais.principal.Principal;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * When a patient closes their space (or refuses it at activation), each system that deposited documents for them,
 * unless blocked, is told to stop sending: {@code space.closed {documentIds, opposed}}, the ids of its own deposits
 * that went with the space. Never the patient's id or INS: the system maps its documents to its patient itself, and
 * the hub keeps nothing that names them.
 */
final class DepositorsOfAClosedSpace implements AccountErasure {
    private static final String TELL = Streams.outboxInsert("""
            SELECT d.author_id, 'space.closed',
                   jsonb_build_object('documentIds', jsonb_agg(d.id::text ORDER BY d.created_at, d.id), 'opposed', $2::boolean),
                   $3::timestamptz
            FROM document d
            WHERE d.patient_id = $1 AND d.author_kind = 'integrator' AND NOT %s
            GROUP BY d.author_id""".formatted(Blocked.sql(Principal.Kind.INTEGRATOR, "d.patient_id", "d.author_id")));

    private final Streams streams;

    DepositorsOfAClosedSpace(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Future<Collection<UUID>> erase(SqlClient tx, UUID patient, boolean opposed) {
        return tx.preparedQuery(TELL).execute(Tuple.of(patient, opposed, streams.eventTime())).map(told -> List.of());
    }
}

package fr.relais.messaging;

import fr.relais.memory.RecentlyUsed;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * The patient of each conversation, if it has one. Participants are set when a conversation starts and never
 * change, so what was read once stays true (an erased conversation takes no more messages anyway); the most
 * recently used {@value #KEPT} are kept, and a send needs no round trip to learn whom to audit it for.
 */
final class ConversationPatients {
    static final int KEPT = 100_000;

    private final Pool pool;
    private final RecentlyUsed<UUID, Optional<UUID>> known = new RecentlyUsed<>(KEPT);

    ConversationPatients(Pool pool) {
        this.pool = pool;
    }

    /** The conversation's patient, or empty if it has none (or does not exist). */
    Future<Optional<UUID>> of(UUID conversationId) {
        Optional<UUID> patient = known.get(conversationId);
        if (patient != null) {
            return Future.succeededFuture(patient);
        }
        return pool.preparedQuery("""
                        SELECT (SELECT account_id FROM conversation_participant WHERE conversation_id = $1 AND role = 'patient'),
                               EXISTS (SELECT 1 FROM conversation WHERE id = $1)""")
                .execute(Tuple.of(conversationId))
                .map(rows -> {
                    var row = rows.iterator().next();
                    Optional<UUID> found = Optional.ofNullable(row.getUUID(0));
                    if (row.getBoolean(1)) {
                        known.put(conversationId, found);
                    }
                    return found;
                });
    }
}

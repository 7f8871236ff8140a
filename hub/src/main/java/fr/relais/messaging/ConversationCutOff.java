package fr.relais.messaging;

import fr.relais.identity.policy.CareListener;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * A professional reads a patient's conversations only within a care relationship: when it ends (the patient ends
 * it, or blocks them) they are cut off every conversation with that patient, old ones included, and neither read
 * them nor receive their events; when the patient takes them back into their care, they are let back in.
 */
final class ConversationCutOff implements CareListener {
    @Override
    public Future<Void> careChanged(SqlClient tx, UUID patient, UUID professional, boolean inCare) {
        return tx.preparedQuery("""
                        UPDATE conversation_participant SET cut_off = $3
                        WHERE account_id = $2 AND conversation_id IN (
                            SELECT conversation_id FROM conversation_participant WHERE account_id = $1 AND role = 'patient')""")
                .execute(Tuple.of(patient, professional, !inCare))
                .mapEmpty();
    }
}

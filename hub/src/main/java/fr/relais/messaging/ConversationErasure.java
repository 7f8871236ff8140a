package fr.relais.messaging;

import fr.relais.identity.account.AccountErasure;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * A closed space takes its conversations along, for every participant: a conversation that includes the patient
 * is the patient's data, and a professional who must keep something of it files it into their own records (or
 * the patient's record, which the patient may keep or delete). Its messages and attachments go with it, and the
 * patient's id is taken out of the events about it left in the other participants' streams, and in those of the
 * systems that took part for a professional. Conversations
 * between professionals do not include a patient and are untouched.
 */
final class ConversationErasure implements AccountErasure {
    @Override
    public Future<Collection<UUID>> erase(SqlClient tx, UUID account, boolean opposed) {
        return tx.preparedQuery("""
                        SELECT other.account_id FROM conversation_participant mine
                        JOIN conversation_participant other
                          ON other.conversation_id = mine.conversation_id AND other.account_id <> mine.account_id
                        WHERE mine.account_id = $1
                        UNION
                        SELECT s.integrator_id FROM conversation_participant mine
                        JOIN conversation_system s ON s.conversation_id = mine.conversation_id
                        WHERE mine.account_id = $1""")
                .execute(Tuple.of(account))
                .compose(rows -> {
                    List<UUID> others = new ArrayList<>();
                    rows.forEach(row -> others.add(row.getUUID("account_id")));
                    return tx.preparedQuery("""
                                    DELETE FROM conversation WHERE id IN (
                                        SELECT conversation_id FROM conversation_participant WHERE account_id = $1)""")
                            .execute(Tuple.of(account))
                            .map(others);
                });
    }
}

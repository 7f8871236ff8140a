package fr.relais.messaging;

import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.DataCategory;
import fr.relais.principal.Principal;
import fr.relais.secrets.Sealer;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * A professional's past conversations with one patient, for the professional's view of that patient: read through
 * the access policy (a care relationship or an emergency access, never when blocked), so the reading is in the
 * patient's access history ({@code conversations}); only those the professional takes part in and is not cut off
 * from, newest activity first.
 */
final class PatientConversations {
    static final int LIMIT = 100;

    private final Streams streams;
    private final AccessPolicy policy;
    private final Sealer crypto;

    PatientConversations(Streams streams, AccessPolicy policy, Sealer crypto) {
        this.streams = streams;
        this.policy = policy;
        this.crypto = crypto;
    }

    Future<JsonArray> of(Principal pro, UUID patient) {
        return streams.withTransaction(tx -> policy.read(tx, pro, patient, DataCategory.IDENTITY, "conversations.list",
                AccessPolicy.Seen.CONVERSATIONS).compose(access -> tx.sql().preparedQuery("""
                        SELECT c.id, c.subject_sealed, c.key_id, c.state, c.message_count, c.last_activity_at
                        FROM conversation_participant me
                        JOIN conversation_participant them ON them.conversation_id = me.conversation_id AND them.account_id = $2
                        JOIN conversation c ON c.id = me.conversation_id
                        WHERE me.account_id = $1 AND NOT me.cut_off
                        ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $3""")
                .execute(Tuple.of(pro.id(), patient, LIMIT))
                .map(rows -> {
                    JsonArray items = new JsonArray();
                    for (Row row : rows) {
                        UUID id = row.getUUID("id");
                        items.add(new JsonObject().put("id", id.toString())
                                .put("subject", crypto.openText(row.getBuffer("subject_sealed").getBytes(), row.getString("key_id"),
                                        "conversation:" + id))
                                .put("state", row.getString("state")).put("messageCount", row.getLong("message_count"))
                                .put("lastActivityAt", row.getOffsetDateTime("last_activity_at").toInstant().toString()));
                    }
                    return items;
                })));
    }
}

package fr.relais.record;

import fr.relais.identity.policy.AccessedDocuments;
import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The titles of the documents a patient's access history points at, opened when the patient reads the history:
 * only the patient's own documents that are still there (the patient sees every version of their record, hidden
 * ones included); a deleted one has no title any more.
 */
final class DocumentTitles implements AccessedDocuments {
    private final Pool pool;
    private final Sealer sealer;

    DocumentTitles(Pool pool, Sealer sealer) {
        this.pool = pool;
        this.sealer = sealer;
    }

    @Override
    public Future<Map<UUID, String>> titles(UUID patient, Collection<UUID> documentIds) {
        return pool.preparedQuery("SELECT id, title_sealed, key_id FROM document WHERE patient_id = $1 AND id = ANY($2)")
                .execute(Tuple.tuple().addUUID(patient).addArrayOfUUID(documentIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, String> titles = new HashMap<>();
                    for (Row row : rows) {
                        UUID id = row.getUUID("id");
                        titles.put(id, sealer.openText(row.getBuffer("title_sealed").getBytes(), row.getString("key_id"),
                                "document-title:" + id));
                    }
                    return titles;
                });
    }
}

package fr.relais.record;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Document contents in the {@code document_content} table, written in the deposit's transaction. */
final class DatabaseDocumentStorage implements DocumentStorage {

    @Override
    public Future<Void> put(SqlClient tx, UUID documentId, byte[] sealed) {
        return tx.preparedQuery("INSERT INTO document_content (document_id, content_sealed) VALUES ($1, $2)")
                .execute(Tuple.of(documentId, Buffer.buffer(sealed))).mapEmpty();
    }

    @Override
    public Future<byte[]> get(SqlClient client, UUID documentId) {
        return client.preparedQuery("SELECT content_sealed FROM document_content WHERE document_id = $1")
                .execute(Tuple.of(documentId))
                .map(rows -> rows.iterator().next().getBuffer("content_sealed").getBytes());
    }
}

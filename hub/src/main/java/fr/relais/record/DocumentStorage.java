package fr.relais.record;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;

/**
 * Where sealed document contents live. The database now; an object store can implement this later (writing the
 * object first, then the row, so that a committed row always has its content).
 */
interface DocumentStorage {

    /**
     * Stores the content in the caller's transaction. The deposit does not wait for it: it is sent with the commit
     * ({@code StreamTransaction.sendWithCommit}), so a put must be one statement sent on {@code tx} before it
     * returns; a storage that needs more (an object store) is written first and awaited instead.
     */
    Future<Void> put(SqlClient tx, UUID documentId, byte[] sealed);

    Future<byte[]> get(SqlClient client, UUID documentId);
}

package fr.relais.record;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;

/**
 * Where sealed document contents live. The database now; an object store can implement this later (writing the
 * object first, then the row, so that a committed row always has its content).
 */
interface DocumentStorage {

    Future<Void> put(SqlClient tx, UUID documentId, byte[] sealed);

    Future<byte[]> get(SqlClient client, UUID documentId);
}

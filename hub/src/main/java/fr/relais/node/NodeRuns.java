package fr.relais.node;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** Records when this node started and stopped, so operators can see crashes (a run that never stopped). */
public final class NodeRuns {
    private final Pool pool;
    private final UUID runId = UUID.randomUUID();
    private final String host;

    /** Looks the host name up, which may block: build it off the event loop. */
    public NodeRuns(Pool pool) {
        this.pool = pool;
        this.host = hostName();
    }

    public UUID runId() {
        return runId;
    }

    public Future<Void> recordStart(String version) {
        return pool.preparedQuery("""
                        INSERT INTO node_run (id, host, version) VALUES ($1, $2, $3)""")
                .execute(Tuple.of(runId, host, version))
                .mapEmpty();
    }

    public Future<Void> recordStop() {
        return pool.preparedQuery("UPDATE node_run SET stopped_at = now() WHERE id = $1")
                .execute(Tuple.of(runId))
                .mapEmpty();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}

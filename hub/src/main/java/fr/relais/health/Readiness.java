package fr.relais.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node should receive traffic: it is not draining for shutdown and its database answers.
 * A load balancer polls it through {@code GET /health/ready}.
 */
public final class Readiness {
    private static final long DATABASE_CHECK_TIMEOUT_MS = 2_000;

    private final Pool pool;
    private final AtomicBoolean draining = new AtomicBoolean();

    public Readiness(Pool pool) {
        this.pool = pool;
    }

    /** From now on the node reports not ready, so that load balancers stop sending it new work. */
    public void startDraining() {
        draining.set(true);
    }

    /** Runs the checks; the future always succeeds, with {@code status} UP or DOWN and one entry per check. */
    public Future<JsonObject> check() {
        if (draining.get()) {
            return Future.succeededFuture(report(false, new JsonObject().put("node", "DRAINING")));
        }
        return pool.query("SELECT 1").execute()
                .timeout(DATABASE_CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(rows -> report(true, new JsonObject().put("database", "UP")))
                .otherwise(failure -> report(false, new JsonObject().put("database", "DOWN")));
    }

    private static JsonObject report(boolean up, JsonObject checks) {
        return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks);
    }
}

package fr.relais.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The reactive connection pool that all runtime database access goes through.
 *
 * <p>A server that hangs (stopped, swapping, cut off without a reset) keeps its TCP connections up and never
 * answers, and the client has no query timeout of its own. So the bounds of {@link PoolLimits} are enforced on the
 * connections: one on which nothing has passed for {@code queryTimeout} is closed ({@link HungConnectionGuard}),
 * which fails what waits on it, and a request that finds no free connection within {@code acquireTimeout} fails
 * too; both are {@link DatabaseOutage}s. Unused connections are retired by the pool well before the guard could
 * take them for hung ones. A connection still being opened is not guarded (the guard is put on once it is
 * open): while it hangs, requests waiting for it get their 503 from {@code acquireTimeout}.
 */
public final class DatabasePool {
    private static final long CLEANER_PERIOD_MS = 1_000;

    private DatabasePool() {
    }

    public static Pool create(Vertx vertx, DatabaseEndpoint endpoint, PoolLimits limits) {
        return create(vertx, endpoint, limits, "relais");
    }

    /** A pool of its own, named in the metrics ({@code vertx_pool_*{pool_name=…}}). */
    public static Pool create(Vertx vertx, DatabaseEndpoint endpoint, PoolLimits limits, String name) {
        long silence = limits.queryTimeout().toMillis();
        long cleanerPeriod = Math.max(1, Math.min(CLEANER_PERIOD_MS, silence / 4));
        PoolOptions pool = new PoolOptions().setMaxSize(limits.size()).setName(name).setShared(false)
                .setMaxWaitQueueSize(10_000)
                .setConnectionTimeout((int) limits.acquireTimeout().toMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                // unused for silence / 2 (+ a cleaner period at most): retired before the guard takes them for hung
                .setIdleTimeout((int) Math.max(1, silence / 2)).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setPoolCleanerPeriod((int) cleanerPeriod);
        return PgBuilder.pool()
                .with(pool)
                .connectingTo(endpoint.connectOptions())
                .withConnectHandler(connection -> {
                    HungConnectionGuard.install(connection, limits.queryTimeout());
                    connection.close(); // hands the new connection to the pool
                })
                .using(vertx)
                .build();
    }
}

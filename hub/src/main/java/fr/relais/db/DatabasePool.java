package fr.relais.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The reactive connection pool that all runtime database access goes through. */
public final class DatabasePool {
    private DatabasePool() {
    }

    public static Pool create(Vertx vertx, DatabaseEndpoint endpoint, int size) {
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(size).setName("relais").setShared(false)
                        .setMaxWaitQueueSize(10_000))
                .connectingTo(endpoint.connectOptions())
                .using(vertx)
                .build();
    }
}

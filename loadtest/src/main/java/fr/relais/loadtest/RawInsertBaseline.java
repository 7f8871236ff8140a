package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * The database floor: single-row INSERT of a ~200-byte row in autocommit (so one INSERT and its COMMIT, one
 * round trip) into a scratch table, in a closed loop on {@code connections} connections at once, for a few
 * seconds after a warm-up: rows per second and the latency of each insert.
 */
final class RawInsertBaseline {
    static final String ROW = "x".repeat(200);

    private RawInsertBaseline() {
    }

    /** Each figure at 1 and at 32 connections. */
    static Map<String, Object> measure(Vertx vertx, PgConnectOptions database, Duration warmup, Duration measure) {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (int connections : new int[] {1, 32}) {
            figures.put(connections + "_connection" + (connections > 1 ? "s" : ""), measure(vertx, database, connections, warmup, measure));
        }
        return figures;
    }

    static Map<String, Object> measure(Vertx vertx, PgConnectOptions database, int connections, Duration warmup, Duration measure) {
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(connections)).connectingTo(database).using(vertx).build();
        try {
            pool.query("CREATE TABLE IF NOT EXISTS raw_insert (id bigserial PRIMARY KEY, payload text NOT NULL)").execute().await();
            Recorder latency = new Recorder(60_000_000_000L, 3);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean counting = new AtomicBoolean();
            AtomicLong rows = new AtomicLong();
            List<Future<Void>> loops = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Promise<Void> done = Promise.promise();
                loops.add(done.future());
                insertLoop(pool, latency, stop, counting, rows, done);
            }
            DepositBenchmark.park(warmup);
            latency.reset();
            counting.set(true);
            long start = System.nanoTime();
            DepositBenchmark.park(measure);
            counting.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            Future.all(loops).await();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("rows_per_s", Math.round(rows.get() / elapsed));
            figures.put("latency_ms", Results.percentiles(latency.getIntervalHistogram()));
            return figures;
        } finally {
            pool.close().await();
        }
    }

    private static void insertLoop(Pool pool, Recorder latency, AtomicBoolean stop, AtomicBoolean counting, AtomicLong rows,
                                   Promise<Void> done) {
        if (stop.get()) {
            done.tryComplete();
            return;
        }
        long start = System.nanoTime();
        pool.preparedQuery("INSERT INTO raw_insert (payload) VALUES ($1)").execute(Tuple.of(ROW)).onComplete(result -> {
            if (result.failed()) {
                done.tryFail(result.cause());
                return;
            }
            if (counting.get()) {
                latency.recordValue(Math.max(1, System.nanoTime() - start));
                rows.incrementAndGet();
            }
            insertLoop(pool, latency, stop, counting, rows, done);
        });
    }
}

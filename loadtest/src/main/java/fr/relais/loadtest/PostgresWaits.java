package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A wait analysis of one database during a measured window: every {@value #EVERY_MS} ms, what each of its busy
 * backends is doing ({@code pg_stat_activity}), tallied. "active, on CPU" is work; "idle in transaction,
 * Client:ClientRead" is a transaction waiting for its client's next statement (round trips); "Lock:…" is
 * waiting for another transaction's lock; "IO:WALSync" / "LWLock:WALWrite" is the commit's flush. It says what
 * bounds a write path when a target is missed.
 */
final class PostgresWaits {
    static final long EVERY_MS = 20;
    private static final String BUSY = """
            SELECT state, coalesce(wait_event_type || ':' || wait_event, 'on CPU') AS wait
            FROM pg_stat_activity
            WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'""";

    private final Vertx vertx;
    /** One connection of its own; closed with the generator's Vert.x. */
    private final Pool pool;

    PostgresWaits(Vertx vertx, PgConnectOptions server) {
        this.vertx = vertx;
        this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(server).using(vertx).build();
    }

    /** Samples {@code database} from {@code after} from now, for {@code during}; completes with the tally. */
    Future<Map<String, Object>> sample(String database, Duration after, Duration during) {
        Promise<Map<String, Object>> done = Promise.promise();
        Map<String, Long> tally = new TreeMap<>();
        long[] samples = {0};
        vertx.setTimer(Math.max(1, after.toMillis()), start -> {
            long until = System.nanoTime() + during.toNanos();
            vertx.setPeriodic(EVERY_MS, timer -> {
                if (System.nanoTime() >= until) {
                    vertx.cancelTimer(timer);
                    done.tryComplete(summary(tally, samples[0]));
                    return;
                }
                pool.preparedQuery(BUSY).execute(Tuple.of(database)).onSuccess(rows -> {
                    samples[0]++;
                    for (Row row : rows) {
                        tally.merge(row.getString("state") + ", " + row.getString("wait"), 1L, Long::sum);
                    }
                });
            });
        });
        return done.future();
    }

    private static Map<String, Object> summary(Map<String, Long> tally, long samples) {
        long busy = tally.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Object> shares = new LinkedHashMap<>();
        tally.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> shares.put(e.getKey(), Math.round(1000.0 * e.getValue() / busy) / 10.0));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("samples", samples);
        figures.put("busy_backends_avg", samples == 0 ? 0 : Math.round(10.0 * busy / samples) / 10.0);
        figures.put("share_of_busy_backend_time_pct", shares);
        return figures;
    }
}

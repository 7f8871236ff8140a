package fr.relais.loadtest;

import fr.relais.agenda.ReminderScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Reminders fired per second by the scheduler (claim with SKIP LOCKED, then one transaction per reminder that
 * marks it fired and appends its event), beside the raw single-row insert-and-commit rate of the same run.
 * {@value #REMINDERS} reminders for {@value #PATIENTS} patients are all due at once; two scheduler instances
 * (as on two nodes) drain them.
 */
final class ReminderBenchmark {
    static final int REMINDERS = 20_000;
    static final int PATIENTS = 200;

    private ReminderBenchmark() {
    }

    static void run(int seconds) throws Exception {
        try (BenchHub bench = BenchHub.start()) {
            var hub = bench.hub;
            hub.agenda().stop(); // the benchmark drives its own schedulers
            UUID[] patients = new UUID[PATIENTS];
            for (int i = 0; i < PATIENTS; i++) {
                patients[i] = UUID.fromString(bench.person(true).getString("id"));
            }
            var pool = hub.streams().pool();
            double raw = DepositBenchmark.RawInsert.rate(pool, 32, Duration.ofSeconds(2), Duration.ofSeconds(Math.max(5, seconds / 2)));

            pool.preparedQuery("""
                            INSERT INTO reminder_job (id, occurrence_key, kind, patient_id, due_at, next_attempt_at, payload)
                            SELECT gen_random_uuid(), 'bench:' || g, 'screening', ($1::uuid[])[1 + g % $2], now() - interval '1 minute',
                                   now() - interval '1 minute', '{"code":"bench"}'::jsonb
                            FROM generate_series(1, $3) AS g""")
                    .execute(Tuple.of(patients, PATIENTS, REMINDERS)).await();
            var config = bench.config().agenda();
            ReminderScheduler[] schedulers = {
                    new ReminderScheduler(hub.vertx(), pool, hub.streams(), config, Clock.systemUTC(), new SimpleMeterRegistry()),
                    new ReminderScheduler(hub.vertx(), pool, hub.streams(), config, Clock.systemUTC(), new SimpleMeterRegistry())};
            long start = System.nanoTime();
            long fired = 0;
            while (fired < REMINDERS && System.nanoTime() - start < Duration.ofMinutes(5).toNanos()) {
                var a = schedulers[0].runOnce();
                var b = schedulers[1].runOnce();
                fired += a.await() + b.await();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long events = pool.query("SELECT count(*) FROM stream_event WHERE type = 'reminder.due'").execute().await()
                    .iterator().next().getLong(0);
            long duplicates = pool.query("""
                            SELECT count(*) FROM (SELECT data->>'reminderId' FROM stream_event WHERE type = 'reminder.due'
                                                  GROUP BY 1 HAVING count(*) > 1) d""").execute().await().iterator().next().getLong(0);
            Results.report("reminders", Map.of(
                    "raw_insert_commit_per_s", raw,
                    "reminders_fired_per_s", fired / elapsed,
                    "ratio_reminders_to_raw", fired / elapsed / raw,
                    "reminders_fired", fired,
                    "reminder_events", events,
                    "duplicate_events", duplicates,
                    "setup", new JsonObject().put("reminders", REMINDERS).put("patients", PATIENTS).put("schedulers", 2)
                            .put("batchSize", config.batchSize()).getMap()));
        }
    }
}

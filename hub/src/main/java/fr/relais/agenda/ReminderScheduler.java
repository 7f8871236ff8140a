package fr.relais.agenda;

import fr.relais.config.AgendaConfig;
import fr.relais.stream.Streams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due reminders, on any number of nodes at once. Each tick claims a batch of due jobs with
 * {@code FOR UPDATE SKIP LOCKED} and a lease; firing marks the batch's jobs fired and appends their
 * {@code reminder.due} events in one transaction, for the jobs this node still holds the claim of, so a reminder
 * fires once even when nodes crash (another node claims it again when the lease runs out) or run side by side.
 * After downtime, due reminders are caught up; stale ones are skipped: appointment reminders once the appointment
 * has begun, treatment reminders older than {@code agenda.treatmentStaleAfter}. If the batch's transaction fails,
 * each job is fired in a transaction of its own, and one that fails is retried with exponential backoff, then
 * marked failed. Time is read from a {@link Clock}, so tests can move it.
 */
public final class ReminderScheduler {
    private static final Logger log = LoggerFactory.getLogger(ReminderScheduler.class);

    private final Vertx vertx;
    private final Pool pool;
    private final Streams streams;
    private final AgendaConfig config;
    private final Clock clock;
    private final String node = UUID.randomUUID().toString();
    private final Counter fired;
    private final Counter skipped;
    private final Counter failed;
    private final Counter claimed;
    private final Timer lateness;

    public ReminderScheduler(Vertx vertx, Pool pool, Streams streams, AgendaConfig config, Clock clock, MeterRegistry metrics) {
        this.vertx = vertx;
        this.pool = pool;
        this.streams = streams;
        this.config = config;
        this.clock = clock;
        this.claimed = Counter.builder("relais.reminders.due").description("reminders claimed for firing").register(metrics);
        this.fired = Counter.builder("relais.reminders.fired").register(metrics);
        this.skipped = Counter.builder("relais.reminders.skipped").description("stale reminders not sent").register(metrics);
        this.failed = Counter.builder("relais.reminders.failed").register(metrics);
        this.lateness = Timer.builder("relais.reminders.lateness").description("from due time to firing")
                .publishPercentileHistogram().register(metrics);
    }

    /** One tick: claims due reminders and fires them; returns how many fired. */
    public Future<Integer> runOnce() {
        Instant now = clock.instant();
        return pool.preparedQuery("""
                        WITH due AS (
                            SELECT id FROM reminder_job
                            WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'claimed' AND lease_until < $1)
                            ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                        UPDATE reminder_job j SET status = 'claimed', claimed_by = $3, lease_until = $4, attempts = j.attempts + 1
                        FROM due WHERE j.id = due.id
                        RETURNING j.id, j.kind, j.patient_id, j.source_id, j.due_at, j.payload, j.attempts""")
                .execute(Tuple.of(utc(now), config.batchSize(), node, utc(now.plus(config.lease()))))
                .compose(rows -> {
                    List<Future<Boolean>> skipping = new ArrayList<>();
                    List<Row> due = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.increment();
                        if (stale(row.getString("kind"), dueAt(row), (JsonObject) row.getValue("payload"), now)) {
                            skipping.add(skip(row));
                        } else {
                            due.add(row);
                        }
                    }
                    // the batch in one transaction; if it fails, one by one, so that one bad job cannot hold the others
                    Future<Integer> firing = due.isEmpty() ? Future.succeededFuture(0) : fireTogether(due, now)
                            .recover(failure -> {
                                log.warn("a batch of {} reminders failed, firing them one by one: {}", due.size(), failure.getMessage());
                                List<Future<Boolean>> one = due.stream().map(job -> fireAlone(job, now)).toList();
                                return Future.join(one).map(all -> (int) one.stream().filter(f -> Boolean.TRUE.equals(f.result())).count());
                            });
                    return Future.join(skipping).transform(skipped -> firing);
                });
    }

    private Future<Boolean> skip(Row job) {
        skipped.increment();
        return pool.preparedQuery("UPDATE reminder_job SET status = 'skipped' WHERE id = $1 AND status = 'claimed' AND claimed_by = $2")
                .execute(Tuple.of(job.getUUID("id"), node)).map(false);
    }

    /**
     * Marks the jobs this node still holds fired and appends their events, in one transaction (one statement for
     * the jobs, one for the events); how many fired.
     */
    private Future<Integer> fireTogether(List<Row> jobs, Instant now) {
        UUID[] ids = jobs.stream().map(job -> job.getUUID("id")).toArray(UUID[]::new);
        return streams.withTransaction(tx -> tx.sql().preparedQuery("""
                        UPDATE reminder_job SET status = 'fired', fired_at = $3
                        WHERE id = ANY($1) AND status = 'claimed' AND claimed_by = $2 RETURNING id""")
                .execute(Tuple.of(ids, node, utc(now)))
                .compose(updated -> {
                    Set<UUID> held = new HashSet<>(); // the others' lease ran out and another node took them
                    updated.forEach(row -> held.add(row.getUUID("id")));
                    List<Row> firing = jobs.stream().filter(job -> held.contains(job.getUUID("id"))).toList();
                    List<Future<Void>> appended = new ArrayList<>(firing.size());
                    for (Row job : firing) {
                        appended.add(tx.append(job.getUUID("patient_id"), "reminder.due", event(job)));
                    }
                    return Future.all(appended).map(firing);
                }))
                .map(firing -> {
                    firing.forEach(job -> counted(job, now));
                    return firing.size();
                });
    }

    /** One job in a transaction of its own, retried later if it fails. */
    private Future<Boolean> fireAlone(Row job, Instant now) {
        return fireTogether(List.of(job), now).map(fired -> fired == 1).recover(failure -> retryLater(job, now, failure));
    }

    private static JsonObject event(Row job) {
        return ((JsonObject) job.getValue("payload")).copy().put("reminderId", job.getUUID("id").toString())
                .put("kind", job.getString("kind")).put("dueAt", ParisTime.show(dueAt(job)));
    }

    private void counted(Row job, Instant now) {
        fired.increment();
        Duration late = Duration.between(dueAt(job), now);
        lateness.record(late.isNegative() ? Duration.ZERO : late);
    }

    private static Instant dueAt(Row job) {
        return job.getOffsetDateTime("due_at").toInstant();
    }

    private Future<Boolean> retryLater(Row job, Instant now, Throwable failure) {
        int attempts = job.getInteger("attempts");
        boolean giveUp = attempts >= config.maxAttempts();
        Duration backoff = Duration.ofSeconds(Math.min(300, 1L << Math.min(attempts, 8)));
        log.warn("reminder {} failed (attempt {}): {}", job.getUUID("id"), attempts, failure.getMessage());
        if (giveUp) {
            failed.increment();
        }
        return pool.preparedQuery("""
                        UPDATE reminder_job SET status = $3, next_attempt_at = $4, last_error = $5
                        WHERE id = $1 AND claimed_by = $2 AND status = 'claimed'""")
                .execute(Tuple.of(job.getUUID("id"), node, giveUp ? "failed" : "pending", utc(now.plus(backoff)),
                        String.valueOf(failure.getMessage())))
                .map(false)
                .otherwise(false);
    }

    private boolean stale(String kind, Instant due, JsonObject payload, Instant now) {
        return switch (kind) {
            case "appointment" -> payload.getString("startsAtInstant") != null
                    && !now.isBefore(Instant.parse(payload.getString("startsAtInstant")));
            case "treatment" -> now.isAfter(due.plus(config.treatmentStaleAfter()));
            default -> false;
        };
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

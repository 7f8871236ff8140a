package fr.relais.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job on one node: its timer, the run in flight (at most one), and what its runs did. A tick that comes while a
 * run is in flight is skipped; a wake-up that comes then asks for one more run right after it. Its state is
 * guarded by its own lock: ticks, wake-ups and completions come from any event loop.
 */
final class ScheduledJob {
    private static final Logger log = LoggerFactory.getLogger(ScheduledJob.class);

    private final Job job;
    private final Vertx vertx;
    private final Clock clock;
    private final Timer succeeded;
    private final Timer failed;
    private long timer = -1;
    private boolean stopped;
    private Future<Void> inFlight;
    private Promise<Void> next;
    private long runs;
    private long failures;
    private Instant lastStartedAt;
    private Boolean lastSucceeded;
    private Duration lastDuration;

    ScheduledJob(Job job, Vertx vertx, Clock clock, MeterRegistry metrics) {
        this.job = job;
        this.vertx = vertx;
        this.clock = clock;
        this.succeeded = timer(metrics, "success");
        this.failed = timer(metrics, "failure");
    }

    private Timer timer(MeterRegistry metrics, String outcome) {
        return Timer.builder("relais.jobs.runs").description("background job runs, by job and outcome")
                .tag("job", job.name()).tag("outcome", outcome).register(metrics);
    }

    String name() {
        return job.name();
    }

    synchronized void schedule() {
        if (!stopped && timer < 0) {
            timer = vertx.setPeriodic(Math.max(1, job.firstAfter().toMillis()), job.every().toMillis(), id -> tick());
        }
    }

    private synchronized void tick() {
        if (!stopped && inFlight == null) {
            start();
        }
    }

    /** A run now, or one right after the run in flight; completes when that run ends (at once once stopped). */
    synchronized Future<Void> wakeUp() {
        if (stopped) {
            return Future.succeededFuture();
        }
        if (inFlight == null) {
            return start();
        }
        if (next == null) {
            next = Promise.promise();
        }
        return next.future();
    }

    private Future<Void> start() {
        long began = System.nanoTime();
        Instant at = clock.instant();
        Future<?> run;
        try {
            run = job.work().get();
        } catch (RuntimeException e) {
            run = Future.failedFuture(e);
        }
        Promise<Void> ended = Promise.promise();
        inFlight = ended.future();
        run.onComplete(done -> {
            finished(done.succeeded(), done.cause(), at, Duration.ofNanos(System.nanoTime() - began));
            ended.complete();
        });
        return ended.future();
    }

    private synchronized void finished(boolean success, Throwable cause, Instant startedAt, Duration took) {
        runs++;
        lastStartedAt = startedAt;
        lastSucceeded = success;
        lastDuration = took;
        (success ? succeeded : failed).record(took.toNanos(), TimeUnit.NANOSECONDS);
        if (!success) {
            failures++;
            log.warn("{} failed: {}", job.name(), String.valueOf(cause.getMessage()));
        }
        inFlight = null;
        if (next != null) {
            Promise<Void> waiting = next;
            next = null;
            if (stopped) {
                waiting.complete();
            } else {
                vertx.runOnContext(v -> wakeUp().onComplete(waiting));
            }
        }
    }

    /** No run starts any more; completes when the run in flight (if any) has ended. */
    synchronized Future<Void> stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        return inFlight == null ? Future.succeededFuture() : inFlight;
    }

    synchronized JobReport report() {
        return new JobReport(job.name(), job.every(), runs, failures, inFlight != null, lastStartedAt, lastSucceeded, lastDuration);
    }
}

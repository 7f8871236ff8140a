package fr.relais.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Eventually;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lifecycle of a node's background jobs: a job never runs twice at once, a wake-up during a run asks for one
 * more run right after it, every run is reported (outcome, duration, start by the node's clock), and a stop starts
 * nothing more and waits for the run in flight. The hub puts every periodic job of its features on it.
 */
class BackgroundJobsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close().await();
    }

    @Test
    void aJobNeverRunsTwiceAtOnceIsReportedAndAStopWaitsForItsRunInFlightThenStartsNothing() {
        TestClock clock = new TestClock();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        BackgroundJobs jobs = new BackgroundJobs(vertx, clock, metrics);
        ConcurrentLinkedQueue<Promise<Void>> runs = new ConcurrentLinkedQueue<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger beats = new AtomicInteger();
        jobs.every("slow", Duration.ofMillis(10), () -> {
            started.incrementAndGet();
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            Promise<Void> run = Promise.promise();
            runs.add(run);
            return run.future().onComplete(done -> running.decrementAndGet());
        }).every("beat", Duration.ofMillis(10), () -> Future.succeededFuture(beats.incrementAndGet()));
        jobs.start();

        Eventually.await("the first run", DEADLINE, started::get, n -> n == 1);
        int beatsThen = beats.get();
        Eventually.await("twenty more ticks", DEADLINE, beats::get, n -> n >= beatsThen + 20);
        assertEquals(1, started.get(), "the ticks that came during the run started nothing");
        Future<Void> wokenUp = jobs.runNow("slow");
        assertEquals(1, started.get(), "a wake-up during a run waits for it");
        assertFalse(wokenUp.isComplete());

        clock.advance(Duration.ofHours(1));
        runs.poll().complete();
        Eventually.await("the run asked by the wake-up", DEADLINE, started::get, n -> n == 2);
        runs.poll().fail("the mail server refused");
        wokenUp.await();
        JobReport slow = jobs.report().get(0);
        assertEquals("slow", slow.name());
        assertEquals(2, slow.runs());
        assertEquals(1, slow.failures());
        assertEquals(Boolean.FALSE, slow.lastSucceeded());
        assertEquals(clock.instant(), slow.lastStartedAt(), "started by the node's clock");
        assertTrue(slow.lastDuration() != null && !slow.lastDuration().isNegative());
        assertEquals(1, metrics.get("relais.jobs.runs").tags("job", "slow", "outcome", "failure").timer().count());
        assertEquals(1, metrics.get("relais.jobs.runs").tags("job", "slow", "outcome", "success").timer().count());
        assertEquals(1, mostAtOnce.get(), "never two runs at once");

        Eventually.await("a run in flight", DEADLINE, started::get, n -> n == 3);
        Future<Void> stopped = jobs.stop(Duration.ofSeconds(30));
        assertTrue(jobs.report().get(0).running());
        assertFalse(stopped.isComplete(), "the stop waits for the run in flight");
        runs.poll().complete();
        stopped.await();
        int beatsAtStop = beats.get();
        AtomicInteger elsewhere = new AtomicInteger();
        vertx.setPeriodic(10, id -> elsewhere.incrementAndGet());
        Eventually.await("twenty ticks of another timer", DEADLINE, elsewhere::get, n -> n >= 20);
        jobs.runNow("slow").await();
        assertEquals(3, started.get(), "nothing starts after the stop, not even on demand");
        assertEquals(beatsAtStop, beats.get(), "every job's timer is cancelled");
    }

    @Test
    void theHubRunsEveryPeriodicJobOfItsFeaturesOnTheLifecycleAndReportsThemInMetrics() {
        List<String> expected = List.of("stream.sweep", "stream.trim", "idempotency.purge", "identity.upkeep", "audit.chain", "audit.checkpoint",
                "messaging.retention", "record.uploads", "agenda.reminders", "agenda.planning", "notify.scan", "notify.decisions",
                "mail.dispatch", "sms.dispatch", "push.dispatch", "outbox.upkeep", "webhooks.dispatch");
        assertEquals(expected, hub.hub().jobs().report().stream().map(JobReport::name).toList());

        hub.hub().jobs().runNow("notify.scan").await();
        JobReport scan = hub.hub().jobs().report().stream().filter(job -> job.name().equals("notify.scan")).findFirst().orElseThrow();
        assertTrue(scan.runs() >= 1 && Boolean.TRUE.equals(scan.lastSucceeded()), scan.toString());
        String scraped = hub.http().get("/metrics").body();
        for (String job : expected) {
            assertTrue(scraped.contains("relais_jobs_runs_seconds_count{job=\"" + job + "\",outcome=\"success\"}"),
                    job + " is reported in /metrics");
        }
        Eventually.await("planning, run at the start", DEADLINE, () -> hub.hub().jobs().report().stream()
                .filter(job -> job.name().equals("agenda.planning")).findFirst().orElseThrow().runs(), runs -> runs >= 1);
    }
}

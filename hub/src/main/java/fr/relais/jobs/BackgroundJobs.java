package fr.relais.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every periodic job of a node, under one lifecycle: registered while the node is wired, started together once it
 * serves, stopped together on shutdown (waiting for the runs in flight). A job never runs twice at once on a node;
 * several nodes run their jobs side by side, so each job is safe to run on many nodes (claims, leases, unique keys).
 * Each run is counted in {@code relais.jobs.runs} (by job and outcome, with its duration) and in {@link #report}.
 */
public final class BackgroundJobs {
    private final Vertx vertx;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<String, ScheduledJob> jobs = new LinkedHashMap<>();
    private final Map<String, String> wakeUpAddresses = new LinkedHashMap<>();
    private final List<MessageConsumer<?>> wakeUps = new ArrayList<>();
    private boolean started;

    public BackgroundJobs(Vertx vertx, Clock clock, MeterRegistry metrics) {
        this.vertx = vertx;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Registers {@code work} to run every {@code interval}, the first time one interval after the start. */
    public BackgroundJobs every(String name, Duration interval, Supplier<Future<?>> work) {
        return register(Job.every(name, interval, work));
    }

    public synchronized BackgroundJobs register(Job job) {
        if (jobs.containsKey(job.name())) {
            throw new IllegalArgumentException("a job named " + job.name() + " is already registered");
        }
        ScheduledJob scheduled = new ScheduledJob(job, vertx, clock, metrics);
        jobs.put(job.name(), scheduled);
        if (started) {
            scheduled.schedule();
        }
        return this;
    }

    /**
     * Once started, runs the job {@code name} as soon as a message arrives at {@code address} (a wake-up from this
     * node or another), or right after its run in flight.
     */
    public synchronized BackgroundJobs wakeOn(String address, String name) {
        job(name);
        wakeUpAddresses.put(address, name);
        if (started) {
            listen(address, name);
        }
        return this;
    }

    /** Starts every job's timer, and listens for their wake-ups. */
    public synchronized void start() {
        started = true;
        jobs.values().forEach(ScheduledJob::schedule);
        wakeUpAddresses.forEach(this::listen);
    }

    private void listen(String address, String name) {
        ScheduledJob job = job(name);
        wakeUps.add(vertx.eventBus().consumer(address, message -> job.wakeUp()));
    }

    /** Runs the job now (or right after its run in flight); completes when that run has ended, failed or not. */
    public Future<Void> runNow(String name) {
        return job(name).wakeUp();
    }

    /** Each job, in the order they were registered. */
    public synchronized List<JobReport> report() {
        return jobs.values().stream().map(ScheduledJob::report).toList();
    }

    /**
     * Stops every job: no run starts any more, and the future completes once the runs in flight have ended, or after
     * {@code grace} (a run stuck on a database that hangs must not hold the shutdown for longer).
     */
    public synchronized Future<Void> stop(Duration grace) {
        wakeUps.forEach(MessageConsumer::unregister);
        wakeUps.clear();
        List<Future<Void>> ending = jobs.values().stream().map(ScheduledJob::stop).toList();
        return Future.join(ending).<Void>mapEmpty().timeout(grace.toMillis(), TimeUnit.MILLISECONDS).otherwiseEmpty();
    }

    private synchronized ScheduledJob job(String name) {
        ScheduledJob job = jobs.get(name);
        if (job == null) {
            throw new IllegalArgumentException("no job named " + name);
        }
        return job;
    }
}

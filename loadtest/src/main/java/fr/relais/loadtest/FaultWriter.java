package fr.relais.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Sends messages from a professional to the patients' conversations at a steady rate, alternating the nodes. A
 * message whose answer does not come back (a refused or dropped connection, a timeout, a 5xx) is sent again with
 * its Idempotency-Key, on the next node, until it is acknowledged: the hub must then answer with the message it
 * already wrote. Each acknowledged message is remembered by its number, with the id the hub gave it.
 */
final class FaultWriter implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40); // longer than the hub's own bounds, so that its 503s are seen

    /** An acknowledged message: its patient and the id the hub answered with. */
    record Written(int patient, String messageId) {
    }

    final Map<Long, Written> acknowledged = new ConcurrentHashMap<>();
    final AtomicLong refused503 = new AtomicLong();
    final AtomicLong connectionFailures = new AtomicLong();
    final AtomicLong otherFailures = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong answeredWithTheOriginal = new AtomicLong();   // a retry answered 200 with the message already written
    final AtomicLong answeredWithAnotherId = new AtomicLong();     // a retry that produced a second message: a duplicate write
    final LongAccumulator slowest503Millis = new LongAccumulator(Math::max, 0);
    final AtomicLong attempted = new AtomicLong();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4)).build();
    private static final int IN_FLIGHT = 48;
    private final ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(IN_FLIGHT);
    private final List<Integer> ports;
    private final String token;
    private final List<String> conversations;
    private final String run;
    private final AtomicBoolean writing = new AtomicBoolean();
    private Thread pacer;

    FaultWriter(List<Integer> ports, String token, List<String> conversations, String run) {
        this.ports = ports;
        this.token = token;
        this.conversations = conversations;
        this.run = run;
    }

    /** Starts sending {@code perSecond} messages a second, to the patients in turn. */
    void start(int perSecond) {
        writing.set(true);
        pacer = new Thread(() -> {
            long interval = 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            while (writing.get()) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                next = Math.max(next + interval, System.nanoTime() - interval); // no burst to catch up after a stall
                inFlight.acquireUninterruptibly(); // the rate drops while messages wait for their answer: no backlog
                long number = attempted.getAndIncrement();
                senders.execute(() -> {
                    try {
                        send(number);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }, "fault-writer");
        pacer.start();
    }

    void stop() throws InterruptedException {
        writing.set(false);
        if (pacer != null) {
            pacer.join();
        }
    }

    /**
     * Waits until every message handed out was acknowledged or given up (then stops the senders, so that nothing
     * is written while the result is counted); true if all were acknowledged.
     */
    boolean awaitSettled(Duration deadline) throws InterruptedException {
        senders.shutdown();
        boolean settled = senders.awaitTermination(deadline.toMillis(), TimeUnit.MILLISECONDS);
        if (!settled) {
            senders.shutdownNow();
            senders.awaitTermination(1, TimeUnit.MINUTES);
        }
        return settled && acknowledged.size() == attempted.get();
    }

    static int patientOf(long number, int patients) {
        return (int) (number % patients);
    }

    private void send(long number) {
        int patient = patientOf(number, conversations.size());
        String key = run + "-" + number;
        String body = new JsonObject().put("body", FaultSuite.bodyOf(number)).encode();
        long giveUpAt = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (int attempt = 0; System.nanoTime() < giveUpAt; attempt++) {
            if (attempt > 0) {
                retries.incrementAndGet();
                DepositBenchmark.park(Duration.ofMillis(Math.min(2000, 100L << Math.min(attempt, 5))));
            }
            int port = ports.get((int) ((number + attempt) % ports.size()));
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/conversations/" + conversations.get(patient) + "/messages"))
                        .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 201 || status == 200) {
                    String id = new JsonObject(response.body()).getString("id");
                    if (attempt > 0 && status == 200) {
                        answeredWithTheOriginal.incrementAndGet();
                    }
                    Written before = acknowledged.putIfAbsent(number, new Written(patient, id));
                    if (before != null && !before.messageId().equals(id)) {
                        answeredWithAnotherId.incrementAndGet();
                    }
                    return;
                }
                if (status == 503) {
                    refused503.incrementAndGet();
                    slowest503Millis.accumulate((System.nanoTime() - started) / 1_000_000);
                } else {
                    otherFailures.incrementAndGet();
                    System.err.println("message " + number + ": " + status + " " + response.body());
                    if (status < 500) {
                        return; // refused for good: a bug the figures show as a lost write
                    }
                }
            } catch (IOException e) {
                connectionFailures.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}

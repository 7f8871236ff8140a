package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Persisted fan-out: events appended through the stream API (each in its own transaction) at a fixed rate to
 * {@value #RECIPIENTS} subscribed recipients; measured: the rate held, and send-to-receive latency on the
 * sockets (HdrHistogram), beside the raw insert-and-commit rate of the same database in the same run.
 */
final class FanoutBenchmark {
    static final int RECIPIENTS = 500;

    private FanoutBenchmark() {
    }

    static void run(int seconds, int rate) throws Exception {
        Vertx clients = Vertx.vertx();
        try (BenchHub bench = BenchHub.start()) {
            List<UUID> recipients = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < RECIPIENTS; i++) {
                JsonObject person = bench.person(true);
                recipients.add(UUID.fromString(person.getString("id")));
                tokens.add(person.getString("accessToken"));
            }
            var pool = bench.hub.streams().pool();
            double raw = DepositBenchmark.RawInsert.rate(pool, 32, Duration.ofSeconds(2), Duration.ofSeconds(Math.max(5, seconds / 2)));

            Recorder latency = new Recorder(3_600_000_000_000L, 3);
            AtomicLong received = new AtomicLong();
            var sockets = clients.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(RECIPIENTS));
            List<Future<WebSocket>> connecting = new ArrayList<>();
            for (String token : tokens) {
                Promise<WebSocket> subscribed = Promise.promise();
                sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(bench.port()).setURI("/api/v1/ws")
                        .addHeader("Authorization", "Bearer " + token)).onSuccess(ws -> {
                    ws.textMessageHandler(text -> {
                        long now = System.nanoTime();
                        if (text.startsWith("{\"type\":\"bench.tick\"")) {
                            long sent = new JsonObject(text).getJsonObject("data").getLong("sentAt");
                            latency.recordValue(Math.max(1, now - sent));
                            received.incrementAndGet();
                        } else if (text.contains("\"subscribed\"")) {
                            subscribed.tryComplete(ws);
                        }
                    });
                    ws.writeTextMessage("{\"type\":\"subscribe\"}");
                }).onFailure(subscribed::tryFail);
                connecting.add(subscribed.future());
            }
            Future.all(connecting).await();

            AtomicLong appended = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long intervalNanos = 1_000_000_000L / rate;
            long warmupEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
            long next = System.nanoTime();
            boolean measuring = false;
            long measuredFrom = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (!measuring && now >= warmupEnd) {
                    measuring = true;
                    measuredFrom = now;
                    latency.reset();
                    received.set(0);
                    appended.set(0);
                }
                if (now < next) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(next - now, 200_000));
                    continue;
                }
                next += intervalNanos;
                UUID recipient = recipients.get(ThreadLocalRandom.current().nextInt(RECIPIENTS));
                bench.hub.streams().append(recipient, "bench.tick", new JsonObject().put("sentAt", System.nanoTime()))
                        .onSuccess(e -> appended.incrementAndGet()).onFailure(e -> failed.incrementAndGet());
            }
            double elapsed = (System.nanoTime() - measuredFrom) / 1e9;
            long drainUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (received.get() < appended.get() && System.nanoTime() < drainUntil) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            Histogram h = latency.getIntervalHistogram();
            sockets.close().await(); // also keeps the client referenced to here: Vert.x closes the sockets of a collected client
            Results.report("fanout", Map.of(
                    "raw_insert_commit_per_s", raw,
                    "target_events_per_s", rate,
                    "events_appended_per_s", appended.get() / elapsed,
                    "ratio_appended_to_raw", appended.get() / elapsed / raw,
                    "send_to_socket_ms", Results.percentiles(h),
                    "events_received", received.get(),
                    "events_appended", appended.get(),
                    "append_failures", failed.get(),
                    "setup", Map.of("recipients", RECIPIENTS, "seconds", seconds)));
        } finally {
            clients.close().await();
        }
    }
}

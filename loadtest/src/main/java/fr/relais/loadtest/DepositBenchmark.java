package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Document deposits per second, each with its live notification, beside the raw single-row insert-and-commit
 * rate of the same database in the same run. A professional deposits small PDFs over HTTP, {@value #IN_FLIGHT}
 * at a time, for {@value #PATIENTS} patients who each hold a subscribed WebSocket; the time from sending a
 * deposit to its {@code document.arrived} on the patient's socket is measured.
 */
final class DepositBenchmark {
    static final int PATIENTS = 100;
    static final int IN_FLIGHT = 32;
    private static final byte[] PDF = ("%PDF-1.4\n" + "x".repeat(900) + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);

    private DepositBenchmark() {
    }

    static void run(int seconds) throws Exception {
        Duration measure = Duration.ofSeconds(seconds);
        Duration warmup = Duration.ofSeconds(Math.max(2, seconds / 5));
        Vertx clients = Vertx.vertx();
        try (BenchHub bench = BenchHub.start()) {
            System.out.printf("hub on port %d; creating %d patients…%n", bench.port(), PATIENTS);
            JsonObject pro = bench.person(false);
            List<JsonObject> patients = new ArrayList<>();
            for (int i = 0; i < PATIENTS; i++) {
                patients.add(bench.person(true));
            }
            Map<String, Long> arrivals = new ConcurrentHashMap<>();
            // kept referenced to the end: Vert.x closes the sockets of a client that was garbage collected
            WebSocketClient socketClient = clients.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(PATIENTS));
            AtomicLong closedEarly = new AtomicLong();
            List<WebSocket> sockets = subscribe(socketClient, bench.port(), patients, arrivals, closedEarly);

            Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(IN_FLIGHT))
                    .connectingTo(bench.hub.database().connectOptions()).using(clients).build();
            RawInsert raw = RawInsert.measure(pool, IN_FLIGHT, warmup, measure);
            pool.close().await();

            Deposits deposits = Deposits.measure(clients, bench.port(), pro.getString("accessToken"), patients, warmup, measure);
            // the notification of the last deposits may still be on its way
            long waitUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < waitUntil && !arrivals.keySet().containsAll(deposits.sentAt.keySet())) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            Histogram notify = new Histogram(3_600_000_000_000L, 3);
            long missing = 0;
            for (var sent : deposits.sentAt.entrySet()) {
                Long arrived = arrivals.get(sent.getKey());
                if (arrived == null) {
                    missing++;
                } else {
                    notify.recordValue(Math.max(1, arrived - sent.getValue()));
                }
            }
            long socketsClosed = closedEarly.get();
            socketClient.close().await();
            Results.report("deposits", Map.of(
                    "raw_insert_commit_per_s", raw.perSecond,
                    "deposits_per_s", deposits.perSecond,
                    "ratio_deposits_to_raw", deposits.perSecond / raw.perSecond,
                    "deposit_http_ms", Results.percentiles(deposits.latency),
                    "deposit_to_socket_ms", Results.percentiles(notify),
                    "deposits_measured", deposits.count,
                    "notifications_missing", missing,
                    "sockets_closed", socketsClosed,
                    "errors", deposits.errors.get(),
                    "setup", Map.of("patients", PATIENTS, "in_flight", IN_FLIGHT, "document_bytes", PDF.length,
                            "seconds", seconds)));
        } finally {
            clients.close().await();
        }
    }

    private static List<WebSocket> subscribe(WebSocketClient client, int port, List<JsonObject> patients, Map<String, Long> arrivals,
                                             AtomicLong closed) {
        List<Future<WebSocket>> connecting = new ArrayList<>();
        for (JsonObject patient : patients) {
            Promise<WebSocket> subscribed = Promise.promise();
            client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/v1/ws")
                    .addHeader("Authorization", "Bearer " + patient.getString("accessToken"))).onSuccess(ws -> {
                ws.textMessageHandler(text -> {
                    long now = System.nanoTime();
                    JsonObject frame = new JsonObject(text);
                    if ("document.arrived".equals(frame.getString("type"))) {
                        arrivals.put(frame.getJsonObject("data").getString("documentId"), now);
                    } else if ("error".equals(frame.getString("type"))) {
                        System.out.println("socket error frame: " + text);
                    } else if ("subscribed".equals(frame.getString("type"))) {
                        subscribed.tryComplete(ws);
                    }
                });
                ws.closeHandler(v -> closed.incrementAndGet());
                ws.writeTextMessage("{\"type\":\"subscribe\"}");
            }).onFailure(subscribed::tryFail);
            connecting.add(subscribed.future());
        }
        Future.all(connecting).await();
        return connecting.stream().map(Future::result).toList();
    }

    /** The baseline: single-row insert + commit of a row of the same size, same concurrency, same database. */
    record RawInsert(double perSecond) {
        static double rate(Pool pool, int concurrency, Duration warmup, Duration measure) {
            return measure(pool, concurrency, warmup, measure).perSecond;
        }

        static RawInsert measure(Pool pool, int concurrency, Duration warmup, Duration measure) {
            pool.query("CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, patient uuid, payload bytea, at timestamptz DEFAULT now())")
                    .execute().await();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong counted = new AtomicLong();
            AtomicBoolean counting = new AtomicBoolean();
            List<Promise<Void>> loops = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                Promise<Void> done = Promise.promise();
                loops.add(done);
                insertLoop(pool, stop, counting, counted, done);
            }
            park(warmup);
            counting.set(true);
            long start = System.nanoTime();
            park(measure);
            counting.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            Future.all(loops.stream().map(Promise::future).toList()).await();
            return new RawInsert(counted.get() / elapsed);
        }

        private static void insertLoop(Pool pool, AtomicBoolean stop, AtomicBoolean counting, AtomicLong counted, Promise<Void> done) {
            if (stop.get()) {
                done.tryComplete();
                return;
            }
            pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO bench_insert (patient, payload) VALUES ($1, $2)")
                            .execute(Tuple.of(UUID.randomUUID(), Buffer.buffer(PDF))))
                    .onComplete(result -> {
                        if (result.succeeded() && counting.get()) {
                            counted.incrementAndGet();
                        }
                        insertLoop(pool, stop, counting, counted, done);
                    });
        }
    }

    /** The measured deposits: rate, HTTP latency, and when each was sent (to match its notification). */
    private static final class Deposits {
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final Recorder recorder = new Recorder(3_600_000_000_000L, 3);
        Histogram latency;
        double perSecond;
        long count;
        final AtomicLong errors = new AtomicLong();

        static Deposits measure(Vertx vertx, int port, String token, List<JsonObject> patients, Duration warmup, Duration measure) {
            Deposits deposits = new Deposits();
            var http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                    .setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(IN_FLIGHT));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean counting = new AtomicBoolean();
            AtomicLong counted = new AtomicLong();
            List<Promise<Void>> loops = new ArrayList<>();
            String data = Base64.getEncoder().encodeToString(PDF);
            for (int i = 0; i < IN_FLIGHT; i++) {
                Promise<Void> done = Promise.promise();
                loops.add(done);
                deposits.loop(http, token, patients, data, stop, counting, counted, done);
            }
            park(warmup);
            deposits.recorder.reset();
            counting.set(true);
            long start = System.nanoTime();
            park(measure);
            counting.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            Future.all(loops.stream().map(Promise::future).toList()).await();
            deposits.latency = deposits.recorder.getIntervalHistogram();
            deposits.count = counted.get();
            deposits.perSecond = counted.get() / elapsed;
            return deposits;
        }

        private void loop(io.vertx.core.http.HttpClient http, String token, List<JsonObject> patients, String data,
                          AtomicBoolean stop, AtomicBoolean counting, AtomicLong counted, Promise<Void> done) {
            if (stop.get()) {
                done.tryComplete();
                return;
            }
            JsonObject patient = patients.get(ThreadLocalRandom.current().nextInt(patients.size()));
            String body = new JsonObject().put("kind", "lab_result").put("title", "Bilan").put("careDate", "2026-11-20")
                    .put("contentType", "application/pdf").put("data", data).put("ins", patient.getString("ins")).encode();
            boolean measured = counting.get();
            long sent = System.nanoTime();
            http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/documents")
                            .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json"))
                    .compose(request -> request.send(body))
                    .compose(response -> response.body().map(buffer -> {
                        if (response.statusCode() != 201) {
                            throw new IllegalStateException(response.statusCode() + " " + buffer);
                        }
                        return buffer.toJsonObject().getString("id");
                    }))
                    .onComplete(result -> {
                        if (result.succeeded() && measured && counting.get()) {
                            recorder.recordValue(Math.max(1, System.nanoTime() - sent));
                            sentAt.put(result.result(), sent);
                            counted.incrementAndGet();
                        } else if (result.failed()) {
                            errors.incrementAndGet();
                        }
                        loop(http, token, patients, data, stop, counting, counted, done);
                    });
        }
    }

    static void park(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
        }
    }
}

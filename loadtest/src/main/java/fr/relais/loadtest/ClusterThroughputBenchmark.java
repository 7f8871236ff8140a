package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Throughput and latency with 1, 2 and 3 clustered hub processes on this machine: {@value #PATIENTS} patients
 * each hold a socket on node {@code i % n}; a professional sends them messages through the REST API of node
 * {@code k % n}, so most events cross nodes on the clustered event bus. Two phases per cluster size: a fixed
 * rate ({@value #FIXED_RATE}/s), then a closed loop with {@value #IN_FLIGHT} requests in flight (the most the
 * cluster takes). Measured: messages per second, HTTP latency, and send-to-socket latency (the frame is matched
 * to its request by conversation and sequence number). Baseline of the same run: the one-node figures.
 */
final class ClusterThroughputBenchmark {
    static final int PATIENTS = 60;
    static final int FIXED_RATE = 200;
    static final int IN_FLIGHT = 32;

    private ClusterThroughputBenchmark() {
    }

    static void run(int seconds, int maxNodes) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<Integer, Double> saturation = new LinkedHashMap<>();
        for (int nodes = 1; nodes <= maxNodes; nodes++) {
            Map<String, Object> run = measure(seconds, nodes);
            saturation.put(nodes, (double) ((Map<?, ?>) run.get("closed_loop")).get("messages_per_s"));
            figures.put(nodes + "_node" + (nodes > 1 ? "s" : ""), run);
        }
        Map<String, Object> ratios = new LinkedHashMap<>();
        saturation.forEach((n, rate) -> ratios.put(n + "_to_1", rate / saturation.get(1)));
        figures.put("closed_loop_throughput_ratio_to_one_node", ratios);
        figures.put("setup", Map.of("patients", PATIENTS, "fixed_rate_per_s", FIXED_RATE, "in_flight", IN_FLIGHT, "seconds", seconds));
        Results.report("cluster-throughput", figures);
    }

    private static Map<String, Object> measure(int seconds, int nodes) throws Exception {
        Path dir = Files.createDirectories(Path.of("loadtest", "target", "throughput-" + nodes + "-" + System.currentTimeMillis()))
                .toAbsolutePath();
        Vertx vertx = Vertx.vertx();
        try (HubCluster cluster = HubCluster.start(dir, nodes)) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            List<PublicApi> apis = new ArrayList<>();
            for (int port : cluster.httpPorts) {
                apis.add(new PublicApi(http, port, dir.resolve("mail")));
            }
            String admin = ConnectionsBenchmark.account(dir, cluster.environments.get(0), cluster.httpPorts.get(0),
                    "admin@bench.example", "add-admin").getString("accessToken");
            PublicApi first = apis.get(0);
            PublicApi.Account pro = first.create(admin, "professionals", new JsonObject().put("rpps", "30000000001")
                    .put("profession", "physician").put("email", "pro@bench.example").put("displayName", "Dr Bench"));
            List<PublicApi.Account> patients = new ArrayList<>();
            List<String> conversations = new ArrayList<>();
            for (int i = 0; i < PATIENTS; i++) {
                patients.add(first.patientTreatedBy(admin, "18503759", i, "30000000001"));
                conversations.add(first.conversation(pro, patients.get(i)));
            }

            Map<String, Half> pending = new ConcurrentHashMap<>(); // conversation:seq → the first half to come
            Recorder toSocket = new Recorder(60_000_000_000L, 3);
            AtomicLong delivered = new AtomicLong();
            WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(PATIENTS + 10));
            List<Future<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < PATIENTS; i++) {
                opening.add(SocketHolder.subscribed(sockets, cluster.httpPorts.get(i % nodes), patients.get(i).token()).onSuccess(ws ->
                        ws.textMessageHandler(text -> {
                            if (text.startsWith("{\"type\":\"message.created\"")) {
                                JsonObject data = new JsonObject(text).getJsonObject("data");
                                match(pending, data.getString("conversationId") + ":" + data.getLong("seq"), new Half(true, System.nanoTime()),
                                        toSocket, delivered);
                            }
                        })));
            }
            Future.all(opening).await();

            Map<String, Object> run = new LinkedHashMap<>();
            run.put("fixed_rate", phase(apis, pro.token(), conversations, pending, toSocket, delivered, seconds, FIXED_RATE));
            run.put("closed_loop", phase(apis, pro.token(), conversations, pending, toSocket, delivered, seconds, 0));
            sockets.close().await();
            return run;
        } finally {
            vertx.close().await();
        }
    }

    /** A phase at {@code rate} messages per second, or as fast as {@value #IN_FLIGHT} requests in flight go (rate 0). */
    private static Map<String, Object> phase(List<PublicApi> apis, String token, List<String> conversations, Map<String, Half> pending,
                                             Recorder toSocket, AtomicLong delivered, int seconds, int rate) throws Exception {
        Recorder httpLatency = new Recorder(60_000_000_000L, 3);
        AtomicLong sent = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
        boolean measuring = false;
        long measuredFrom = 0;
        long next = System.nanoTime();
        for (long k = 0; System.nanoTime() < end; k++) {
            if (!measuring && System.nanoTime() >= warmupEnd) {
                measuring = true;
                measuredFrom = System.nanoTime();
                httpLatency.reset();
                toSocket.reset();
                sent.set(0);
                delivered.set(0);
            }
            if (rate > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                next += 1_000_000_000L / rate;
            }
            inFlight.acquire();
            String conversation = conversations.get((int) (k % conversations.size()));
            long start = System.nanoTime();
            apis.get((int) (k % apis.size())).call("POST", "/api/v1/conversations/" + conversation + "/messages", token,
                    new JsonObject().put("body", "Résultats reçus.")).whenComplete((message, failure) -> {
                        inFlight.release();
                        httpLatency.recordValue(System.nanoTime() - start);
                        if (failure != null) {
                            errors.incrementAndGet();
                        } else {
                            sent.incrementAndGet();
                            match(pending, conversation + ":" + message.getLong("seq"), new Half(false, start), toSocket, delivered);
                        }
                    });
        }
        double elapsed = (System.nanoTime() - measuredFrom) / 1e9;
        inFlight.acquire(IN_FLIGHT);
        inFlight.release(IN_FLIGHT);
        long drainUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (delivered.get() < sent.get() && System.nanoTime() < drainUntil) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return Map.of("target_per_s", rate == 0 ? "as fast as " + IN_FLIGHT + " in flight go" : rate,
                "messages_per_s", sent.get() / elapsed, "errors", errors.get(),
                "http_ms", Results.percentiles(httpLatency.getIntervalHistogram()),
                "send_to_socket_ms", Results.percentiles(toSocket.getIntervalHistogram()),
                "events_missing", sent.get() - delivered.get());
    }

    /** Half of a match: the time a request was sent, or the time its frame reached the socket. */
    private record Half(boolean arrival, long at) {
    }

    /** The request's answer and the socket's frame meet here, in either order; the second records the latency. */
    private static void match(Map<String, Half> pending, String key, Half mine, Recorder toSocket, AtomicLong delivered) {
        Half[] other = new Half[1];
        pending.compute(key, (k, waiting) -> {
            if (waiting == null) {
                return mine;
            }
            other[0] = waiting;
            return null;
        });
        if (other[0] != null) {
            Half sent = mine.arrival() ? other[0] : mine;
            Half arrived = mine.arrival() ? mine : other[0];
            toSocket.recordValue(Math.max(1, arrived.at() - sent.at()));
            delivered.incrementAndGet();
        }
    }
}

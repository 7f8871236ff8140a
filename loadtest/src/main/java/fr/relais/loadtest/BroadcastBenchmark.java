package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;

/**
 * Broadcast-style fan-out: one event to many sockets. The hub runs in its own process; {@code sockets}
 * subscribed sockets of one patient (as many devices, or a care team's screens) are opened from this one; a
 * professional sends the patient a message through the REST API, one at a time, and the time from the send to
 * the {@code message.created} frame on the first and on the last socket is measured. Baseline of the same run: a
 * bare Vert.x WebSocket server writing one frame to as many sockets when a control socket asks it to.
 */
final class BroadcastBenchmark {
    private static final Duration ROUND_DEADLINE = Duration.ofSeconds(60);

    private BroadcastBenchmark() {
    }

    static void run(int rounds, int sockets) throws Exception {
        Path dir = Files.createDirectories(Path.of("loadtest", "target", "broadcast-" + System.currentTimeMillis())).toAbsolutePath();
        int port = ConnectionsBenchmark.freePort();
        Map<String, String> env = ConnectionsBenchmark.hubEnvironment(dir, port);
        Vertx vertx = Vertx.vertx();
        Map<String, Object> hub;
        Map<String, Object> bare;
        try {
            try (ChildProcess server = ChildProcess.start(dir, "hub", env, "fr.relais.Main", "serve")) {
                server.awaitLine("running at", Duration.ofMinutes(2));
                hub = measureHub(vertx, dir, env, port, rounds, sockets);
            }
            int barePort = ConnectionsBenchmark.freePort();
            try (ChildProcess server = ChildProcess.start(dir, "bare", Map.of(), BareWebSocketServer.class.getName(),
                    String.valueOf(barePort))) {
                server.awaitLine("listening", Duration.ofMinutes(1));
                WebSocketClient controlClient = vertx.createWebSocketClient();
                WebSocket control = controlClient.connect(barePort, "127.0.0.1", "/").await();
                bare = measure(vertx, barePort, null, rounds, sockets, round -> control.writeTextMessage("broadcast " + (round + 1)));
                controlClient.close().await(); // referenced to here: Vert.x closes the sockets of a collected client
            }
        } finally {
            vertx.close().await();
        }
        Results.report("broadcast", Map.of("sockets", sockets, "rounds", rounds, "hub", hub, "bare_vertx_baseline", bare,
                "ratio_hub_to_bare_time_to_last_socket_p50", ratio(hub, bare, "p50"),
                "ratio_hub_to_bare_time_to_last_socket_max", ratio(hub, bare, "max")));
    }

    private static double ratio(Map<String, Object> hub, Map<String, Object> bare, String percentile) {
        return (double) ((Map<?, ?>) hub.get("send_to_last_socket_ms")).get(percentile)
                / (double) ((Map<?, ?>) bare.get("send_to_last_socket_ms")).get(percentile);
    }

    /** A patient holding the sockets, a professional who treats them and writes in one conversation. */
    private static Map<String, Object> measureHub(Vertx vertx, Path dir, Map<String, String> env, int port, int rounds, int sockets)
            throws Exception {
        String nir = "2850375999998";
        String ins = PublicApi.ins(nir);
        JsonObject patient = ConnectionsBenchmark.account(dir, env, port, "patient@bench.example", "add-patient", "--ins", ins);
        JsonObject pro = ConnectionsBenchmark.account(dir, env, port, "pro@bench.example", "add-pro",
                "--rpps", "10000000009", "--profession", "physician");
        HttpClient http = HttpClient.newHttpClient();
        ConnectionsBenchmark.post(http, port, "/api/v1/me/care-relationships", new JsonObject().put("rpps", "10000000009"),
                patient.getString("accessToken"));
        String proToken = pro.getString("accessToken");
        String conversation = ConnectionsBenchmark.post(http, port, "/api/v1/conversations", new JsonObject()
                .put("subject", "Broadcast").put("participants", new JsonArray().add(patient.getJsonObject("account").getString("id")))
                .put("message", new JsonObject().put("body", "round 0")), proToken).getString("conversationId");
        return measure(vertx, port, patient.getString("accessToken"), rounds, sockets, round -> {
            try {
                ConnectionsBenchmark.post(http, port, "/api/v1/conversations/" + conversation + "/messages",
                        new JsonObject().put("body", "round " + round), proToken);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Opens the sockets (subscribed with {@code token}, or plain when null), then runs the rounds: {@code send}
     * makes the server write frame number {@code round + 1} (the message's {@code seq}) to every socket.
     */
    private static Map<String, Object> measure(Vertx vertx, int port, String token, int rounds, int count, IntConsumer send)
            throws Exception {
        AtomicLongArray received = new AtomicLongArray(rounds + 2);
        AtomicLongArray first = new AtomicLongArray(rounds + 2);
        AtomicLongArray last = new AtomicLongArray(rounds + 2);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(count + 10));
        List<WebSocket> open = new ArrayList<>(count);
        for (int start = 0; start < count; start += 1000) {
            List<Future<WebSocket>> wave = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 1000); i++) {
                wave.add(token == null ? client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/"))
                        : SocketHolder.subscribed(client, port, token));
            }
            Future.all(wave).await();
            for (Future<WebSocket> f : wave) {
                WebSocket ws = f.result();
                ws.textMessageHandler(text -> {
                    int seq = seqOf(text);
                    if (seq > 0 && seq < received.length()) {
                        long now = System.nanoTime();
                        first.compareAndSet(seq, 0, now);
                        last.accumulateAndGet(seq, now, Math::max);
                        received.incrementAndGet(seq);
                    }
                });
                open.add(ws);
            }
        }
        Histogram toFirst = new Histogram(3);
        Histogram toLast = new Histogram(3);
        long missing = 0;
        for (int round = 1; round <= rounds; round++) {
            int seq = round + 1;
            long sent = System.nanoTime();
            send.accept(round);
            long deadline = sent + ROUND_DEADLINE.toNanos();
            while (received.get(seq) < count && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            missing += count - received.get(seq);
            if (round > 2) { // the first rounds warm up
                toFirst.recordValue(Math.max(1, first.get(seq) - sent));
                toLast.recordValue(Math.max(1, last.get(seq) - sent));
            }
        }
        long stillOpen = open.stream().filter(ws -> !ws.isClosed()).count();
        client.close().await();
        return Map.of("send_to_first_socket_ms", Results.percentiles(toFirst), "send_to_last_socket_ms", Results.percentiles(toLast),
                "frames_missing", missing, "sockets_open_at_end", stillOpen);
    }

    /** The {@code seq} of a message.created or tick frame, 0 for any other frame. */
    private static int seqOf(String frame) {
        if (!frame.startsWith("{\"type\":\"message.created\"") && !frame.startsWith("{\"type\":\"tick\"")) {
            return 0;
        }
        int at = frame.indexOf("\"seq\":");
        if (at < 0) {
            return 0;
        }
        int end = at + 6;
        while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
            end++;
        }
        return Integer.parseInt(frame.substring(at + 6, end));
    }
}

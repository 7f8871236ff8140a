package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Idle connections and what each costs: the hub runs in its own process (the 20,000-file limit is per process),
 * N authenticated, subscribed WebSockets are opened from this one and held; the hub's heap after a full GC and
 * its resident memory are read before and after. Baseline of the same run: a bare Vert.x WebSocket server
 * process holding the same number of sockets.
 */
final class ConnectionsBenchmark {
    private ConnectionsBenchmark() {
    }

    static void run(int seconds, int connections) throws Exception {
        Path dir = Files.createDirectories(Path.of("loadtest", "target", "connections-" + System.currentTimeMillis())).toAbsolutePath();
        int hubPort = freePort();
        Map<String, String> env = Map.ofEntries(
                Map.entry("RELAIS_HTTP_PORT", String.valueOf(hubPort)), Map.entry("RELAIS_HTTP_HOST", "127.0.0.1"),
                Map.entry("RELAIS_DB_EMBEDDED_DIR", dir.resolve("postgres").toString()),
                Map.entry("RELAIS_SECRETS_DIR", dir.resolve("secrets").toString()),
                Map.entry("RELAIS_MAIL_TRANSPORT", "file"), Map.entry("RELAIS_MAIL_DIR", dir.resolve("mail").toString()),
                Map.entry("RELAIS_WS_MAX_CONNECTIONS_PER_PRINCIPAL", "100000"),
                Map.entry("RELAIS_AUTH_ARGON2_MEMORY", "4MiB"), Map.entry("RELAIS_AUTH_ARGON2_ITERATIONS", "1"),
                Map.entry("RELAIS_AUTH_ACCESS_TOKEN_LIFETIME", "2h"), Map.entry("RELAIS_LOG_LEVEL", "WARN"));
        Vertx vertx = Vertx.vertx();
        Map<String, Object> hub;
        Map<String, Object> bare;
        try (ChildProcess server = ChildProcess.start(dir, "hub", env, "fr.relais.Main", "serve")) {
            server.awaitLine("running at", Duration.ofMinutes(2));
            String token = patientToken(dir, env, hubPort);
            hub = measure(vertx, server, hubPort, token, connections, seconds);
        }
        int barePort = freePort();
        try (ChildProcess server = ChildProcess.start(dir, "bare", Map.of(), BareWebSocketServer.class.getName(),
                String.valueOf(barePort))) {
            server.awaitLine("listening", Duration.ofMinutes(1));
            bare = measure(vertx, server, barePort, null, connections, seconds);
        } finally {
            vertx.close().await();
        }
        double hubPer = (double) hub.get("heap_per_connection_KiB");
        double barePer = (double) bare.get("heap_per_connection_KiB");
        Results.report("connections", Map.of(
                "connections", connections, "hold_seconds", seconds,
                "hub", hub, "bare_vertx_baseline", bare,
                "ratio_hub_to_bare_heap_per_connection", hubPer / barePer));
    }

    private static Map<String, Object> measure(Vertx vertx, ChildProcess server, int port, String token, int count, int seconds)
            throws Exception {
        long heap0 = server.heapAfterGcKiB();
        long rss0 = server.rssKiB();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(count + 10));
        List<WebSocket> sockets = new ArrayList<>(count);
        for (int start = 0; start < count; start += 1000) {
            List<Future<WebSocket>> wave = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 1000); i++) {
                wave.add(open(client, port, token));
            }
            Future.all(wave).await();
            wave.forEach(f -> sockets.add(f.result()));
        }
        DepositBenchmark.park(Duration.ofSeconds(seconds));
        long open = sockets.stream().filter(ws -> !ws.isClosed()).count();
        long heap1 = server.heapAfterGcKiB();
        long rss1 = server.rssKiB();
        Future.all(sockets.stream().map(WebSocket::close).toList()).otherwiseEmpty().await();
        client.close().await();
        return Map.of("opened", sockets.size(), "still_open_after_hold", open,
                "heap_per_connection_KiB", (heap1 - heap0) / (double) count,
                "rss_per_connection_KiB", (rss1 - rss0) / (double) count,
                "heap_before_MiB", heap0 / 1024, "heap_after_MiB", heap1 / 1024);
    }

    private static Future<WebSocket> open(WebSocketClient client, int port, String token) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/v1/ws");
        if (token == null) {
            return client.connect(options);
        }
        Promise<WebSocket> subscribed = Promise.promise();
        client.connect(options.addHeader("Authorization", "Bearer " + token)).onSuccess(ws -> {
            ws.textMessageHandler(text -> {
                if (text.contains("\"subscribed\"")) {
                    subscribed.tryComplete(ws);
                }
            });
            ws.writeTextMessage("{\"type\":\"subscribe\"}");
        }).onFailure(subscribed::tryFail);
        return subscribed.future();
    }

    /** A patient created with the console, activated and logged in through the API. */
    private static String patientToken(Path dir, Map<String, String> env, int port) throws Exception {
        String nir = "1850375999999";
        String ins = nir + String.format("%02d", 97 - Long.parseLong(nir) % 97);
        String email = "connections@bench.example";
        try (ChildProcess cli = ChildProcess.start(dir, "cli", env, "fr.relais.Main", "user", "add-patient", "--ins", ins,
                "--email", email, "--name", "Bench")) {
            cli.process.waitFor();
            Matcher code = Pattern.compile("activation code: (\\S+)").matcher(Files.readString(cli.log));
            if (!code.find()) {
                throw new IllegalStateException(Files.readString(cli.log));
            }
            HttpClient http = HttpClient.newHttpClient();
            post(http, port, "/api/v1/auth/activate", new JsonObject().put("code", code.group(1)).put("password", BenchHub.PASSWORD));
            String challenge = post(http, port, "/api/v1/auth/login", new JsonObject().put("email", email)
                    .put("password", BenchHub.PASSWORD)).getString("challengeId");
            return post(http, port, "/api/v1/auth/login/verify", new JsonObject().put("challengeId", challenge)
                    .put("code", BenchHub.codeFromMailDir(dir.resolve("mail"), email))).getString("accessToken");
        }
    }

    private static JsonObject post(HttpClient http, int port, String path, JsonObject body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
        return new JsonObject(response.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

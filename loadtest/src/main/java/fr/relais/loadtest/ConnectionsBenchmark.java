package fr.relais.loadtest;

import io.vertx.core.Future;
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
        Map<String, String> env = hubEnvironment(dir, hubPort);
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
        double hubPer = (double) hub.get("heap_and_direct_per_connection_KiB");
        double barePer = (double) bare.get("heap_and_direct_per_connection_KiB");
        Results.report("connections", Map.of(
                "connections", connections, "hold_seconds", seconds,
                "hub", hub, "bare_vertx_baseline", bare,
                "ratio_hub_to_bare_heap_and_direct_per_connection", hubPer / barePer,
                "target_heap_and_direct_per_connection_KiB", 8));
    }

    /** A hub process on {@code port} with its data under {@code dir}: one account may hold any number of sockets. */
    static Map<String, String> hubEnvironment(Path dir, int port) {
        return Map.ofEntries(
                Map.entry("RELAIS_HTTP_PORT", String.valueOf(port)), Map.entry("RELAIS_HTTP_HOST", "127.0.0.1"),
                Map.entry("RELAIS_DB_EMBEDDED_DIR", dir.resolve("postgres").toString()),
                Map.entry("RELAIS_SECRETS_DIR", dir.resolve("secrets").toString()),
                Map.entry("RELAIS_MAIL_TRANSPORT", "file"), Map.entry("RELAIS_MAIL_DIR", dir.resolve("mail").toString()),
                Map.entry("RELAIS_WS_MAX_CONNECTIONS_PER_PRINCIPAL", "100000"),
                Map.entry("RELAIS_AUTH_ARGON2_MEMORY", "4MiB"), Map.entry("RELAIS_AUTH_ARGON2_ITERATIONS", "1"),
                Map.entry("RELAIS_AUTH_RATE_LIMIT_PER_ADDRESS", "1000000"),
                Map.entry("RELAIS_AUTH_ACCESS_TOKEN_LIFETIME", "2h"), Map.entry("RELAIS_LOG_LEVEL", "WARN"));
    }

    static Map<String, Object> measure(Vertx vertx, ChildProcess server, int port, String token, int count, int seconds)
            throws Exception {
        long heap0 = server.heapAfterGcKiB();
        long direct0 = directBytes(port, token != null);
        long rss0 = server.rssKiB();
        Map<String, long[]> classes0 = server.classHistogram();
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
        long direct1 = directBytes(port, token != null);
        long rss1 = server.rssKiB();
        Map<String, Object> perClass = bytesPerConnectionByClass(classes0, server.classHistogram(), count);
        Future.all(sockets.stream().map(WebSocket::close).toList()).otherwiseEmpty().await();
        client.close().await();
        return Map.of("opened", sockets.size(), "still_open_after_hold", open,
                "heap_per_connection_KiB", (heap1 - heap0) / (double) count,
                "direct_per_connection_KiB", (direct1 - direct0) / 1024.0 / count,
                "heap_and_direct_per_connection_KiB", (heap1 - heap0) / (double) count + (direct1 - direct0) / 1024.0 / count,
                "rss_per_connection_KiB", (rss1 - rss0) / (double) count,
                "heap_before_MiB", heap0 / 1024, "heap_after_MiB", heap1 / 1024,
                "bytes_per_connection_by_class", perClass);
    }

    /** Direct memory held by the server's Netty: the hub's gauge in /metrics, or the bare server's one answer. */
    static long directBytes(int port, boolean hub) throws Exception {
        if (!hub) {
            return Long.parseLong(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().strip());
        }
        return (long) metric(port, "relais_netty_direct_memory_bytes");
    }

    /** A gauge (one series, no labels) from a hub's /metrics. */
    static double metric(int port, String name) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher gauge = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(body);
        if (!gauge.find()) {
            throw new IllegalStateException("no " + name + " in /metrics");
        }
        return Double.parseDouble(gauge.group(1));
    }

    /** The classes whose live bytes grew most with the sockets, as bytes per socket (where the heap goes). */
    private static Map<String, Object> bytesPerConnectionByClass(Map<String, long[]> before, Map<String, long[]> after, int count) {
        Map<String, Object> top = new java.util.LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]))
                .filter(e -> e.getValue() > count) // more than a byte per socket
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(25)
                .forEach(e -> top.put(e.getKey(), Math.round(e.getValue() / (double) count)));
        return top;
    }

    private static Future<WebSocket> open(WebSocketClient client, int port, String token) {
        if (token == null) {
            return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/v1/ws"));
        }
        return SocketHolder.subscribed(client, port, token);
    }

    /** A patient created with the console, activated and logged in through the API. */
    static String patientToken(Path dir, Map<String, String> env, int port) throws Exception {
        String nir = "1850375999999";
        String ins = PublicApi.ins(nir);
        return account(dir, env, port, "connections@bench.example", "add-patient", "--ins", ins).getString("accessToken");
    }

    /**
     * An account created with the console ({@code relais user <add> … --email --name}), activated and logged in
     * through the API: the login answer ({@code accessToken}, {@code account.id}).
     */
    static JsonObject account(Path dir, Map<String, String> env, int port, String email, String... add) throws Exception {
        List<String> command = new ArrayList<>(List.of("user"));
        command.addAll(List.of(add));
        command.addAll(List.of("--email", email, "--name", "Bench " + add[0]));
        try (ChildProcess cli = ChildProcess.start(dir, "cli-" + add[0], env, "fr.relais.Main", command.toArray(String[]::new))) {
            cli.process.waitFor();
            Matcher code = Pattern.compile("activation code: (\\S+)").matcher(Files.readString(cli.log));
            if (!code.find()) {
                throw new IllegalStateException(Files.readString(cli.log));
            }
            HttpClient http = HttpClient.newHttpClient();
            post(http, port, "/api/v1/auth/activate", new JsonObject().put("code", code.group(1)).put("password", BenchHub.PASSWORD), null);
            String challenge = post(http, port, "/api/v1/auth/login", new JsonObject().put("email", email)
                    .put("password", BenchHub.PASSWORD), null).getString("challengeId");
            return post(http, port, "/api/v1/auth/login/verify", new JsonObject().put("challengeId", challenge)
                    .put("code", BenchHub.codeFromMailDir(dir.resolve("mail"), email)), null);
        }
    }

    static JsonObject post(HttpClient http, int port, String path, JsonObject body, String token) {
        return new PublicApi(http, port, null).call("POST", path, token, body).join();
    }

    /**
     * A free port below the ephemeral range (32768 and up): a port from that range, once released, can be taken
     * by any outgoing connection (the nodes' own Hazelcast links) before the process meant for it binds it.
     */
    static int freePort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (java.io.IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }
}

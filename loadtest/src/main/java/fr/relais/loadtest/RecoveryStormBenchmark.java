package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recovery storm: {@code clients} subscribed sockets (spread over {@value #PATIENTS} patients) all disconnect
 * while a professional keeps writing to the patients, then all reconnect at once with their cursors. Every
 * client checks each event frame: the next offset of its stream, never one it already has. Measured: the time
 * until every client is subscribed again, and until every client has every event written before the reconnect;
 * at the end, every client must hold every event of its stream exactly once. Baseline of the same run: the
 * time the same clients took to connect and subscribe the first time, with nothing to replay.
 */
final class RecoveryStormBenchmark {
    static final int PATIENTS = 10;
    private static final int MESSAGES_PER_SECOND = 20;
    private static final Duration AWAY = Duration.ofSeconds(5);

    private RecoveryStormBenchmark() {
    }

    /** One client: its stream's events must arrive as offsets last+1, last+2, … across reconnections. */
    private static final class Client {
        final int patient;
        volatile WebSocket ws;
        volatile String epoch;
        volatile long last;
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong gaps = new AtomicLong();

        Client(int patient) {
            this.patient = patient;
        }

        void onFrame(String text, Promise<Void> subscribed) {
            if (text.startsWith("{\"type\":\"subscribed\"")) {
                JsonObject frame = new JsonObject(text);
                synchronized (this) {
                    if (epoch == null) { // subscribed without a cursor: the stream starts after its head
                        last = frame.getLong("offset");
                    }
                    epoch = frame.getString("epoch");
                }
                subscribed.tryComplete();
                return;
            }
            JsonObject frame = new JsonObject(text);
            if (!frame.getString("type").contains(".")) {
                return; // a control frame; events have dotted types
            }
            long offset = frame.getLong("offset");
            synchronized (this) {
                if (offset <= last) {
                    duplicates.incrementAndGet();
                } else {
                    if (offset != last + 1) {
                        gaps.incrementAndGet();
                    }
                    last = offset;
                }
            }
        }

        Future<Void> connect(WebSocketClient client, int port, String token) {
            Promise<Void> subscribed = Promise.promise();
            JsonObject subscribe = new JsonObject().put("type", "subscribe");
            if (epoch != null) {
                subscribe.put("cursor", new JsonObject().put("epoch", epoch).put("offset", last));
            }
            client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/v1/ws")
                    .addHeader("Authorization", "Bearer " + token)).onSuccess(socket -> {
                ws = socket;
                socket.textMessageHandler(text -> onFrame(text, subscribed));
                socket.closeHandler(v -> subscribed.tryFail("closed: " + socket.closeStatusCode()));
                socket.writeTextMessage(subscribe.encode());
            }).onFailure(subscribed::tryFail);
            return subscribed.future();
        }
    }

    static void run(int clientCount) throws Exception {
        Path dir = Files.createDirectories(Path.of("loadtest", "target", "storm-" + System.currentTimeMillis())).toAbsolutePath();
        int port = ConnectionsBenchmark.freePort();
        Map<String, String> env = ConnectionsBenchmark.hubEnvironment(dir, port);
        Vertx vertx = Vertx.vertx();
        Map<String, Object> figures = new LinkedHashMap<>();
        try (ChildProcess server = ChildProcess.start(dir, "hub", env, "fr.relais.Main", "serve")) {
            server.awaitLine("running at", Duration.ofMinutes(2));
            HttpClient http = HttpClient.newHttpClient();
            String proToken = ConnectionsBenchmark.account(dir, env, port, "pro@bench.example", "add-pro",
                    "--rpps", "10000000009", "--profession", "physician").getString("accessToken");
            List<String> tokens = new ArrayList<>();
            List<String> conversations = new ArrayList<>();
            for (int p = 0; p < PATIENTS; p++) {
                String nir = String.format("18503759%05d", p);
                String ins = PublicApi.ins(nir);
                JsonObject patient = ConnectionsBenchmark.account(dir, env, port, "patient" + p + "@bench.example", "add-patient", "--ins", ins);
                tokens.add(patient.getString("accessToken"));
                ConnectionsBenchmark.post(http, port, "/api/v1/me/care-relationships", new JsonObject().put("rpps", "10000000009"),
                        patient.getString("accessToken"));
                conversations.add(ConnectionsBenchmark.post(http, port, "/api/v1/conversations", new JsonObject()
                        .put("subject", "Storm").put("participants", new JsonArray().add(patient.getJsonObject("account").getString("id")))
                        .put("message", new JsonObject().put("body", "start")), proToken).getString("conversationId"));
            }
            WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clientCount + 10));
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < clientCount; i++) {
                clients.add(new Client(i % PATIENTS));
            }
            long firstConnect = System.nanoTime();
            connectAll(clients, sockets, port, tokens, 1000);
            figures.put("baseline_first_connect_all_seconds", (System.nanoTime() - firstConnect) / 1e9);

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong sent = new AtomicLong();
            AtomicLong sendErrors = new AtomicLong();
            Thread writer = new Thread(() -> {
                long interval = 1_000_000_000L / MESSAGES_PER_SECOND;
                long next = System.nanoTime();
                while (writing.get()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                    next += interval;
                    int p = (int) (sent.get() % PATIENTS);
                    try {
                        ConnectionsBenchmark.post(http, port, "/api/v1/conversations/" + conversations.get(p) + "/messages",
                                new JsonObject().put("body", "m" + sent.get()), proToken);
                        sent.incrementAndGet();
                    } catch (Exception e) {
                        sendErrors.incrementAndGet();
                    }
                }
            });
            writer.start();
            DepositBenchmark.park(Duration.ofSeconds(3));
            Future.join(clients.stream().map(c -> c.ws.close()).toList()).otherwiseEmpty().await();
            DepositBenchmark.park(AWAY);

            long[] headsAtReconnect = streamHeads(sockets, port, tokens);
            long missed = clients.stream().mapToLong(c -> headsAtReconnect[c.patient] - c.last).sum();
            long reconnect = System.nanoTime();
            connectAll(clients, sockets, port, tokens, clientCount); // all at once
            figures.put("all_resubscribed_seconds", (System.nanoTime() - reconnect) / 1e9);
            figures.put("all_caught_up_seconds", awaitCaughtUp(clients, headsAtReconnect, Duration.ofMinutes(2))
                    ? (System.nanoTime() - reconnect) / 1e9 : "not within 2 minutes");
            figures.put("events_missed_while_away_total", missed);

            DepositBenchmark.park(Duration.ofSeconds(3));
            writing.set(false);
            writer.join();
            long[] finalHeads = streamHeads(sockets, port, tokens);
            awaitCaughtUp(clients, finalHeads, Duration.ofMinutes(1));
            long behind = 0;
            for (Client c : clients) {
                behind += finalHeads[c.patient] - c.last;
            }
            figures.put("clients", clientCount);
            figures.put("patients", PATIENTS);
            figures.put("messages_per_second", MESSAGES_PER_SECOND);
            figures.put("messages_sent", sent.get());
            figures.put("send_errors", sendErrors.get());
            figures.put("away_seconds", AWAY.toSeconds());
            figures.put("events_missing_at_end", behind);
            figures.put("duplicates", clients.stream().mapToLong(c -> c.duplicates.get()).sum());
            figures.put("gaps", clients.stream().mapToLong(c -> c.gaps.get()).sum());
            sockets.close().await();
        } finally {
            vertx.close().await();
        }
        Results.report("recovery-storm", figures);
    }

    private static void connectAll(List<Client> clients, WebSocketClient sockets, int port, List<String> tokens, int wave) {
        for (int start = 0; start < clients.size(); start += wave) {
            List<Future<Void>> connecting = new ArrayList<>();
            for (Client c : clients.subList(start, Math.min(clients.size(), start + wave))) {
                connecting.add(c.connect(sockets, port, tokens.get(c.patient)));
            }
            Future.all(connecting).await();
        }
    }

    /** Each patient's stream head, asked of the hub with the stream.position command. */
    private static long[] streamHeads(WebSocketClient sockets, int port, List<String> tokens) {
        long[] heads = new long[PATIENTS];
        for (int p = 0; p < PATIENTS; p++) {
            Promise<Long> head = Promise.promise();
            WebSocket ws = sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/v1/ws")
                    .addHeader("Authorization", "Bearer " + tokens.get(p))).await();
            ws.textMessageHandler(text -> {
                if (text.startsWith("{\"type\":\"result\"")) {
                    head.tryComplete(new JsonObject(text).getJsonObject("result").getLong("head"));
                }
            });
            ws.writeTextMessage("{\"type\":\"command\",\"id\":\"h\",\"op\":\"stream.position\"}");
            heads[p] = head.future().await();
            ws.close().await();
        }
        return heads;
    }

    private static boolean awaitCaughtUp(List<Client> clients, long[] heads, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (clients.stream().allMatch(c -> c.last >= heads[c.patient])) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        return false;
    }
}

package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One raw, subscribed socket per person of a target. Unlike the SDK it hides nothing: every event frame is
 * checked against the socket's last offset (anything but the next one is out of order: a repeat, a reorder or a
 * gap), and every {@code message.created} or {@code document.arrived} is handed, with its arrival time, to the
 * ledger of the current run.
 */
final class RecipientSockets implements AutoCloseable {
    /** The events the scenarios count, and where their id is (the id the REST answer gave). */
    private static final Map<String, String> ID_FIELDS = Map.of("message.created", "messageId", "document.arrived", "documentId");
    private final WebSocketClient client;
    private final List<WebSocket> sockets = new ArrayList<>();
    final AtomicLong closed = new AtomicLong();
    private volatile long lastFrameAt = System.nanoTime();
    private volatile DeliveryLedger ledger = new DeliveryLedger();

    private RecipientSockets(WebSocketClient client) {
        this.client = client;
    }

    /** Opens and subscribes every socket of {@code target}, 500 at a time. */
    static RecipientSockets open(Vertx vertx, Target target) {
        int count = target.socketTokens().size();
        RecipientSockets all = new RecipientSockets(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(count + 10)));
        for (int start = 0; start < count; start += 500) {
            List<Future<WebSocket>> wave = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 500); i++) {
                wave.add(all.subscribe(target, i));
            }
            Future.all(wave).await();
            wave.forEach(socket -> all.sockets.add(socket.result()));
        }
        return all;
    }

    /** From now on, frames are counted in {@code next}. */
    void countIn(DeliveryLedger next) {
        ledger = next;
    }

    private Future<WebSocket> subscribe(Target target, int person) {
        Promise<WebSocket> subscribed = Promise.promise();
        long[] last = {-1}; // the socket's cursor; its handlers run on one event loop
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(target.port()).setURI(target.socketPath())
                .addHeader("Authorization", "Bearer " + target.socketTokens().get(person))).onSuccess(ws -> {
            ws.textMessageHandler(text -> {
                long now = System.nanoTime();
                lastFrameAt = now;
                JsonObject frame = new JsonObject(text);
                String type = frame.getString("type");
                if ("subscribed".equals(type)) {
                    last[0] = frame.getLong("offset");
                    subscribed.tryComplete(ws);
                } else if (type.contains(".")) { // an event
                    long offset = frame.getLong("offset");
                    if (offset != last[0] + 1) {
                        ledger.outOfOrder.incrementAndGet();
                    }
                    last[0] = Math.max(last[0], offset);
                    String idField = ID_FIELDS.get(type);
                    if (idField != null) {
                        ledger.arrived(person, frame.getJsonObject("data").getString(idField), now);
                    }
                }
            });
            ws.closeHandler(v -> {
                closed.incrementAndGet();
                subscribed.tryFail("closed before subscribing: " + ws.closeStatusCode());
            });
            ws.writeTextMessage("{\"type\":\"subscribe\"}");
        }).onFailure(subscribed::tryFail);
        return subscribed.future();
    }

    /**
     * Waits until no frame came for {@code quiet} (at most {@code max}): a server still working off the backlog of
     * a failed step would take the cores from what is measured next.
     */
    void awaitQuiet(Duration quiet, Duration max) {
        long until = System.nanoTime() + max.toNanos();
        while (System.nanoTime() - lastFrameAt < quiet.toNanos() && System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(quiet.toNanos() / 10);
        }
    }

    @Override
    public void close() {
        Future.join(sockets.stream().map(WebSocket::close).toList()).otherwiseEmpty().await();
        client.close().await();
    }
}

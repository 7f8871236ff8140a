package fr.relais.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generator's side when a target is written to by socket commands, as one system does: one socket per sending
 * event loop, opened on that loop with the system's token, each command sent with an id and an idempotency key (as
 * an integrator that retries must) and its {@code result} or {@code error} frame matched back to it by that id.
 */
final class CommandSockets implements AutoCloseable {
    private record Pending(int recipient, long intendedAt, boolean measured, DeliveryLedger ledger) {
    }

    private final WebSocketClient client;
    private final Map<Context, WebSocket> byLoop = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private CommandSockets(WebSocketClient client) {
        this.client = client;
    }

    static CommandSockets open(Vertx vertx, Target target, List<Context> loops, String token) {
        CommandSockets sockets = new CommandSockets(vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(loops.size() + 2).setMaxFrameSize(1 << 20)));
        List<Future<WebSocket>> opened = new ArrayList<>();
        for (Context loop : loops) {
            Promise<WebSocket> socket = Promise.promise();
            loop.runOnContext(v -> sockets.client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(target.port())
                    .setURI(target.socketPath()).addHeader("Authorization", "Bearer " + token)).onComplete(socket));
            opened.add(socket.future().onSuccess(ws -> {
                ws.textMessageHandler(sockets::answered);
                ws.closeHandler(v -> {
                    if (ws.closeStatusCode() == null || ws.closeStatusCode() != 1000) {
                        System.err.println("a command socket was closed: " + ws.closeStatusCode() + " " + ws.closeReason());
                    }
                });
                sockets.byLoop.put(loop, ws);
            }));
        }
        Future.all(opened).await();
        return sockets;
    }

    /** Sends {@code request} (its path being the op) from {@code loop}, the current event loop. */
    void send(Context loop, Target.Request request, Target.Lane lane, long intendedAt, boolean measured, DeliveryLedger ledger) {
        String id = "c" + ids.incrementAndGet();
        pending.put(id, new Pending(lane.recipient(), intendedAt, measured, ledger));
        byLoop.get(loop).writeTextMessage(new JsonObject().put("type", "command").put("id", id).put("op", request.path())
                .put("args", new JsonObject(request.body())).put("idempotencyKey", run + "-" + id).encode());
    }

    private void answered(String text) {
        JsonObject frame = new JsonObject(text);
        Pending sent = frame.getValue("id") instanceof String id ? pending.remove(id) : null;
        if (sent == null) {
            if ("error".equals(frame.getString("type"))) {
                System.err.println("the target refused the command socket: " + text);
            }
            return;
        }
        if ("result".equals(frame.getString("type"))) {
            sent.ledger().acknowledged(frame.getJsonObject("result").getString("id"), sent.recipient(), sent.intendedAt(),
                    System.nanoTime(), sent.measured());
        } else {
            sent.ledger().failed(frame.getString("code") + ": " + frame.getString("message"));
        }
    }

    @Override
    public void close() {
        client.close().await();
    }
}

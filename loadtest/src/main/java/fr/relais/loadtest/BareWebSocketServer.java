package fr.relais.loadtest;

import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The baseline of the socket scenarios: a Vert.x 5 WebSocket server that accepts sockets and does nothing else,
 * except that a text frame {@code broadcast <n>} makes it write {@code {"type":"tick","seq":<n>}} to every socket.
 */
public final class BareWebSocketServer {
    private BareWebSocketServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        Set<ServerWebSocket> sockets = new LinkedHashSet<>(); // one event loop: no locking
        vertx.createHttpServer().webSocketHandler(ws -> {
            sockets.add(ws);
            ws.closeHandler(v -> sockets.remove(ws));
            ws.textMessageHandler(text -> {
                if (text.startsWith("broadcast ")) {
                    String frame = "{\"type\":\"tick\",\"seq\":" + text.substring(10) + "}";
                    sockets.forEach(socket -> socket.writeTextMessage(frame));
                }
            });
        })
                // the one request: how much direct memory Netty holds (the hub has it in /metrics)
                .requestHandler(req -> req.response().end(String.valueOf(PlatformDependent.usedDirectMemory())))
                .listen(port, "127.0.0.1").await();
        System.out.println("bare server listening on " + port);
    }
}

package fr.relais.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** The baseline of the connections scenario: a Vert.x 5 WebSocket server that accepts sockets and does nothing else. */
public final class BareWebSocketServer {
    private BareWebSocketServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        vertx.createHttpServer().webSocketHandler(ws -> ws.textMessageHandler(text -> { }))
                .requestHandler(req -> req.response().end("ok"))
                .listen(port, "127.0.0.1").await();
        System.out.println("bare server listening on " + port);
    }
}

package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One process of a spread-out generator (a process may not open more than 20,000 files here):
 * {@code SocketHolder <token> <local address> <count> <port,port,…>} opens {@code count} authenticated,
 * subscribed WebSockets from {@code local address}, spread over the ports, prints {@code held <n>}, then answers
 * each {@code count <k>} line on its standard input with {@code open-<k> <n>} until the input closes.
 */
public final class SocketHolder {
    private SocketHolder() {
    }

    public static void main(String[] args) throws Exception {
        String token = args[0];
        String localAddress = args[1];
        int count = Integer.parseInt(args[2]);
        int[] ports = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(count + 10).setLocalAddress(localAddress));
        List<WebSocket> sockets = new ArrayList<>(count);
        int failed = 0;
        for (int start = 0; start < count; start += 500) {
            List<Future<WebSocket>> wave = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 500); i++) {
                wave.add(subscribed(client, ports[i % ports.length], token));
            }
            Future.join(wave).otherwiseEmpty().await();
            for (Future<WebSocket> socket : wave) {
                if (socket.succeeded()) {
                    sockets.add(socket.result());
                } else {
                    failed++;
                }
            }
        }
        System.out.println("held " + sockets.size() + " failed " + failed);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("count ")) {
                System.out.println("open-" + line.substring(6) + " " + sockets.stream().filter(ws -> !ws.isClosed()).count());
            }
        }
        client.close().await(); // referenced to here: Vert.x closes the sockets of a collected client
        vertx.close().await();
    }

    static Future<WebSocket> subscribed(WebSocketClient client, int port, String token) {
        Promise<WebSocket> subscribed = Promise.promise();
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/v1/ws")
                .addHeader("Authorization", "Bearer " + token)).onSuccess(ws -> {
            ws.textMessageHandler(text -> {
                if (text.contains("\"subscribed\"")) {
                    subscribed.tryComplete(ws);
                }
            });
            ws.closeHandler(v -> subscribed.tryFail("closed before subscribing: " + ws.closeStatusCode()));
            ws.writeTextMessage("{\"type\":\"subscribe\"}");
        }).onFailure(subscribed::tryFail);
        return subscribed.future();
    }
}

package fr.relais.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay in front of a hub, to cut the network under a browser: {@link #cut()} drops every connection and
 * refuses new ones until {@link #restore()}. {@link #swallowAnswers()} lets requests through but no answer back:
 * the client of a node that dies after its write and before its answer.
 */
public final class CuttableProxy implements AutoCloseable {
    private static final Vertx VERTX = Vertx.vertx();

    private final NetServer server;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private final java.util.List<Long> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean swallowing;

    private CuttableProxy(NetServer server) {
        this.server = server;
    }

    public static CuttableProxy to(int port) {
        CuttableProxy[] self = new CuttableProxy[1];
        NetServer server = VERTX.createNetServer().connectHandler(client -> self[0].relay(client, port));
        self[0] = new CuttableProxy(server);
        try {
            server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
        return self[0];
    }

    public int port() {
        return server.actualPort();
    }

    /** When each connection came ({@link System#nanoTime()}), refused ones included: how often a client tries. */
    public java.util.List<Long> connectionTimes() {
        return java.util.List.copyOf(attempts);
    }

    private void relay(NetSocket client, int port) {
        attempts.add(System.nanoTime());
        if (cut) {
            client.close();
            return;
        }
        client.pause();
        VERTX.createNetClient().connect(port, "127.0.0.1").onSuccess(upstream -> {
            open.add(client);
            open.add(upstream);
            client.handler(upstream::write);
            upstream.handler(bytes -> {
                if (!swallowing) {
                    client.write(bytes);
                }
            });
            client.closeHandler(v -> upstream.close());
            upstream.closeHandler(v -> client.close());
            client.resume();
        }).onFailure(e -> client.close());
    }

    public void cut() {
        cut = true;
        open.forEach(NetSocket::close);
        open.clear();
    }

    /** From now on, what the hub sends back is dropped; what clients send still reaches it. */
    public void swallowAnswers() {
        swallowing = true;
    }

    public void restore() {
        cut = false;
    }

    @Override
    public void close() {
        cut();
        server.close();
    }
}

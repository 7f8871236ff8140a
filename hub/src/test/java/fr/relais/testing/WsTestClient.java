package fr.relais.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw WebSocket client for protocol tests: it records every frame the hub sends and lets a test wait, with a
 * deadline, for the next frame that matches, or for the close code.
 */
public final class WsTestClient implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final Vertx VERTX = Vertx.vertx();

    private final WebSocketClient client;
    private final WebSocket ws;
    private final List<JsonObject> frames = new ArrayList<>();
    private final CompletableFuture<Short> closed = new CompletableFuture<>();
    private int consumed;

    private WebSocketClient clientOf() {
        return client;
    }

    private WsTestClient(WebSocketClient client, WebSocket ws) {
        this.client = client;
        this.ws = ws;
        ws.textMessageHandler(text -> {
            synchronized (frames) {
                frames.add(new JsonObject(text));
            }
        });
        ws.closeHandler(v -> closed.complete(ws.closeStatusCode() == null ? (short) 1006 : ws.closeStatusCode()));
    }

    /** Opens {@code /api/v1/ws}, with {@code Authorization: Bearer token} when {@code token} is not null. */
    public static WsTestClient connect(int port, String token) {
        WebSocketClient client = VERTX.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(4 << 20).setMaxMessageSize(4 << 20));
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/v1/ws");
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        // handlers are set on the event loop as the connection completes, before any frame can be missed
        return within(client.connect(options).map(ws -> new WsTestClient(client, ws)));
    }

    /** Connects with the token and subscribes (from {@code cursor} when not null); waits for "subscribed". */
    public static WsTestClient subscribed(int port, String token, JsonObject cursor) {
        WsTestClient client = connect(port, token);
        JsonObject subscribe = new JsonObject().put("type", "subscribe");
        if (cursor != null) {
            subscribe.put("cursor", cursor);
        }
        client.send(subscribe);
        return client;
    }

    public void send(JsonObject frame) {
        send(frame.encode());
    }

    /** Sends a text frame; once the hub has closed the socket, frames are silently dropped (tests assert the close). */
    public void send(String text) {
        if (!ws.isClosed() && !closed.isDone()) {
            ws.writeTextMessage(text);
        }
    }

    private static <T> T within(io.vertx.core.Future<T> future) {
        try {
            return future.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within " + DEADLINE, e);
        }
    }

    public void sendBinary(byte[] bytes) {
        ws.writeBinaryMessage(Buffer.buffer(bytes));
    }

    /** Stops reading from the socket (the hub's writes pile up), until {@link #resume()}. */
    public void pause() {
        ws.pause();
    }

    public void resume() {
        ws.resume();
    }

    /** The next frame, after those already awaited, that matches. */
    public JsonObject awaitFrame(String description, Predicate<JsonObject> matches) {
        return Eventually.await(description, DEADLINE, () -> {
            synchronized (frames) {
                for (int i = consumed; i < frames.size(); i++) {
                    if (matches.test(frames.get(i))) {
                        consumed = i + 1;
                        return frames.get(i);
                    }
                }
                return null;
            }
        }, found -> found != null);
    }

    public JsonObject awaitType(String type) {
        return awaitFrame("a frame of type " + type, frame -> type.equals(frame.getString("type")));
    }

    /** Waits for {@code count} event frames (frames with an offset) and returns them in order of arrival. */
    public List<JsonObject> awaitEvents(int count) {
        Eventually.await(count + " events", DEADLINE, this::events, list -> list.size() >= count);
        return events();
    }

    public List<JsonObject> events() {
        synchronized (frames) {
            return frames.stream().filter(f -> f.containsKey("offset") && f.getString("type").contains(".")).toList();
        }
    }

    public List<JsonObject> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    public short awaitClose() {
        try {
            return closed.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the socket was not closed within " + DEADLINE + "; frames: " + frames(), e);
        }
    }

    /** Sends a WebSocket ping with {@code payload} and returns the payload of the pong that answers it. */
    public String ping(String payload) {
        io.vertx.core.Promise<String> pong = io.vertx.core.Promise.promise();
        ws.pongHandler(data -> pong.tryComplete(data.toString()));
        ws.writePing(Buffer.buffer(payload));
        return within(pong.future());
    }

    /** Starts the closing handshake with {@code code}; returns the code the hub answers with. */
    public short closeWith(short code) {
        ws.close(code, "bye");
        return awaitClose();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!ws.isClosed() && !closed.isDone()) {
            ws.close().recover(alreadyClosed -> io.vertx.core.Future.succeededFuture());
        }
        clientOf().close();
    }
}

package fr.relais.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Relais WebSocket client: it authenticates at the handshake, subscribes from its cursor, hands events to
 * the application in order, and when the connection drops it reconnects with exponential backoff and resumes
 * from the last event it received, so the application sees every event exactly once. If the hub says the
 * history cannot be recovered ({@code recovered: false}), {@link #onGap} is told, so the application reloads
 * its state by REST.
 *
 * <pre>
 * RelaisClient client = RelaisClient.create(vertx, RelaisClientOptions.of("localhost", 8080, tokens::current));
 * client.onEvent(event -> show(event));
 * client.start();
 * </pre>
 */
public final class RelaisClient {
    private static final Logger log = LoggerFactory.getLogger(RelaisClient.class);
    /** Errors the hub sends just before it closes the socket for a passing reason: the client reconnects. */
    private static final java.util.Set<String> CLOSING_ERRORS = java.util.Set.of("unavailable", "events_trimmed",
            "stream_reset", "rate_limited", "token_expired");

    /** Why the connection ended, as the hub said it with its close code. */
    public record Closed(short code, String reason) {
    }

    private final Vertx vertx;
    private final RelaisClientOptions options;
    private final WebSocketClient sockets;
    private final Map<String, Promise<JsonObject>> commands = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    private volatile Consumer<Event> onEvent = event -> { };
    private volatile Consumer<Cursor> onGap = cursor -> { };
    private volatile Consumer<Closed> onClosed = closed -> { };
    private volatile Consumer<JsonObject> onSubscribed = frame -> { };
    private volatile Cursor cursor;
    private volatile WebSocket socket;
    private volatile boolean stopped;
    /** A subscribe frame was sent on the current socket and neither {@code subscribed} nor a refusal came yet. */
    private volatile boolean subscribing;

    private RelaisClient(Vertx vertx, RelaisClientOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.cursor = options.cursor();
        this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
                .setMaxMessageSize(1 << 20).setSsl(options.tls()));
    }

    public static RelaisClient create(Vertx vertx, RelaisClientOptions options) {
        return new RelaisClient(vertx, options);
    }

    public RelaisClient onEvent(Consumer<Event> handler) {
        this.onEvent = handler;
        return this;
    }

    /** Called when the hub could not replay what was missed: reload by REST, then events continue from {@code cursor}. */
    public RelaisClient onGap(Consumer<Cursor> handler) {
        this.onGap = handler;
        return this;
    }

    public RelaisClient onClosed(Consumer<Closed> handler) {
        this.onClosed = handler;
        return this;
    }

    /** Called with each {@code subscribed} frame (after every (re)connection). */
    public RelaisClient onSubscribed(Consumer<JsonObject> handler) {
        this.onSubscribed = handler;
        return this;
    }

    /**
     * Connects; the future completes when the first subscription is confirmed. If the hub refuses the subscription
     * (e.g. {@code insufficient_scope} for an integrator without {@code stream:read}), it fails with a
     * {@link CommandException} of that code, and the connection stays open for the commands the token allows.
     */
    public Future<Void> start() {
        Promise<Void> subscribed = Promise.promise();
        connect(subscribed);
        return subscribed.future();
    }

    /** The last event received. */
    public Cursor cursor() {
        return cursor;
    }

    public boolean connected() {
        WebSocket current = socket;
        return current != null && !current.isClosed();
    }

    /** Tells the hub this client has everything up to {@code offset}. */
    public void ack(long offset) {
        send(new JsonObject().put("type", "ack").put("offset", offset));
    }

    /** Runs an operation on the hub; an {@code error} frame fails the future with a {@link CommandException}. */
    public Future<JsonObject> command(String op, JsonObject args, String idempotencyKey) {
        String id = UUID.randomUUID().toString();
        Promise<JsonObject> result = Promise.promise();
        commands.put(id, result);
        JsonObject frame = new JsonObject().put("type", "command").put("id", id).put("op", op).put("args", args);
        if (idempotencyKey != null) {
            frame.put("idempotencyKey", idempotencyKey);
        }
        if (!send(frame)) {
            commands.remove(id);
            result.tryFail(new CommandException("not_connected", "The client is not connected."));
        }
        return result.future();
    }

    /** Closes the connection for good (no reconnection). */
    public Future<Void> close() {
        stopped = true;
        WebSocket current = socket;
        Future<Void> closing = current == null || current.isClosed() ? Future.succeededFuture() : current.close();
        return closing.eventually(sockets::close);
    }

    private void connect(Promise<Void> firstSubscription) {
        if (stopped) {
            return;
        }
        WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost(options.host()).setPort(options.port())
                .setSsl(options.tls()).setURI("/api/v1/ws").addHeader("Authorization", "Bearer " + options.token().get());
        sockets.connect(connect).onSuccess(ws -> {
            socket = ws;
            ws.textMessageHandler(text -> onFrame(new JsonObject(text), firstSubscription));
            ws.closeHandler(v -> closed(ws, firstSubscription));
            JsonObject subscribe = new JsonObject().put("type", "subscribe");
            Cursor at = cursor;
            if (at != null) {
                subscribe.put("cursor", new JsonObject().put("epoch", at.epoch()).put("offset", at.offset()));
            }
            subscribing = true;
            ws.writeTextMessage(subscribe.encode());
        }).onFailure(failure -> {
            log.debug("connection failed: {}", failure.toString());
            retry(firstSubscription, failure);
        });
    }

    private void onFrame(JsonObject frame, Promise<Void> firstSubscription) {
        String type = frame.getString("type", "");
        switch (type) {
            case "subscribed" -> {
                subscribing = false;
                attempts.set(0);
                String epoch = frame.getString("epoch");
                long offset = frame.getLong("offset");
                if (!frame.getBoolean("recovered", true)) {
                    cursor = new Cursor(epoch, offset);
                    onGap.accept(cursor);
                } else if (cursor == null || !cursor.epoch().equals(epoch)) {
                    cursor = new Cursor(epoch, offset);
                }
                onSubscribed.accept(frame);
                firstSubscription.tryComplete();
            }
            case "result" -> complete(frame.getString("id"), frame.getJsonObject("result"), null);
            case "error" -> {
                if (frame.getString("id") != null) {
                    complete(frame.getString("id"), null, new CommandException(frame.getString("code"), frame.getString("message")));
                } else if (subscribing && !CLOSING_ERRORS.contains(frame.getString("code"))) {
                    // the refusal of the subscribe frame (the socket stays open): start() must not wait forever. The
                    // errors that come before a close are not refusals: the client reconnects and subscribes again
                    subscribing = false;
                    firstSubscription.tryFail(new CommandException(frame.getString("code"), frame.getString("message")));
                } else {
                    log.debug("hub error: {} {}", frame.getString("code"), frame.getString("message"));
                }
            }
            case "authenticated", "refreshed", "pong" -> {
                // nothing to do
            }
            default -> {
                if (frame.containsKey("offset") && type.contains(".")) {
                    Event event = Event.of(frame);
                    Cursor at = cursor;
                    if (at == null || !at.epoch().equals(event.epoch()) || event.offset() > at.offset()) {
                        cursor = event.cursor();
                        onEvent.accept(event);
                    }
                }
            }
        }
    }

    private void complete(String id, JsonObject result, CommandException error) {
        Promise<JsonObject> promise = id == null ? null : commands.remove(id);
        if (promise != null) {
            if (error == null) {
                promise.tryComplete(result);
            } else {
                promise.tryFail(error);
            }
        }
    }

    private void closed(WebSocket ws, Promise<Void> firstSubscription) {
        short code = ws.closeStatusCode() == null ? 1006 : ws.closeStatusCode();
        onClosed.accept(new Closed(code, ws.closeReason()));
        commands.forEach((id, promise) -> promise.tryFail(new CommandException("disconnected", "The connection closed.")));
        commands.clear();
        retry(firstSubscription, new CommandException("closed", "closed with " + code));
    }

    private void retry(Promise<Void> firstSubscription, Throwable cause) {
        if (stopped || !options.reconnect()) {
            firstSubscription.tryFail(cause);
            return;
        }
        long n = attempts.incrementAndGet();
        long base = Math.min(options.maxBackoff().toMillis(), options.minBackoff().toMillis() << Math.min(20, n - 1));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        vertx.setTimer(Math.max(1, delay), id -> connect(firstSubscription));
    }

    private boolean send(JsonObject frame) {
        WebSocket current = socket;
        if (current == null || current.isClosed()) {
            return false;
        }
        current.writeTextMessage(frame.encode());
        return true;
    }
}

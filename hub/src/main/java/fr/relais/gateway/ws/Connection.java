package fr.relais.gateway.ws;

import fr.relais.error.ApiError;
import fr.relais.identity.Principal;
import fr.relais.identity.token.TokenClaims;
import fr.relais.stream.StreamEvent;
import fr.relais.stream.StreamPosition;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket, confined to its gateway instance's event loop. It authenticates (header or first frame),
 * subscribes to its principal's stream from an optional cursor, and then receives every event exactly once and
 * in offset order: live events are delivered when they extend what was delivered, a gap is filled from the
 * database first, duplicates are dropped. Frames from the client are handled one at a time, in order.
 */
final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final int MAX_PENDING_LIVE = 10_000;

    private record Pending(String frame, long committedAt) {
    }

    private final Transport transport;
    private final SocketContext ctx;
    private final long openedAt = System.nanoTime();
    private final Deque<String> inbox = new ArrayDeque<>();
    private final TreeMap<Long, Pending> pending = new TreeMap<>();

    private long lastHeard = openedAt;
    private long lastPing = openedAt;
    private long windowStart = openedAt;
    private int windowCount;
    private boolean processing;
    private boolean authenticating;
    private boolean slotTaken;
    private boolean closed;
    private TokenClaims claims;

    private boolean subscribed;
    private boolean positioned;      // the stream position is known: live events may flow
    private boolean catchingUp;
    private String epoch;
    private long delivered;
    private Long announceAt;         // send "subscribed" once delivery reaches this offset
    private boolean recovered;

    private long ackWanted;
    private boolean ackInFlight;

    private Connection(Transport transport, SocketContext ctx) {
        this.transport = transport;
        this.ctx = ctx;
    }

    /** A client on {@code /api/v1/ws}: credentials at the handshake or in a first frame, then its frames. */
    static Connection overWebSocket(ServerWebSocket ws, SocketContext ctx) {
        Connection connection = new Connection(new WebSocketTransport(ws, ctx.config().maxOutboundBytes()), ctx);
        ws.textMessageHandler(connection::onText);
        ws.binaryMessageHandler(binary -> connection.close(CloseCodes.PROTOCOL_ERROR, "binary frames are not part of the protocol"));
        ws.pongHandler(pong -> connection.lastHeard = System.nanoTime());
        ws.closeHandler(v -> connection.cleanUp());
        ws.exceptionHandler(e -> log.debug("socket error: {}", e.toString()));
        String header = ws.headers().get("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            connection.inbox.add(new JsonObject().put("type", "auth").put("token", header.substring(7).strip()).encode());
            connection.drain();
        }
        return connection;
    }

    /** A client of {@code GET /api/v1/events}: authenticated by its header, subscribed at once from its cursor. */
    static Connection overEventStream(HttpServerResponse response, String token, JsonObject cursor, SocketContext ctx) {
        Connection connection = new Connection(new EventStreamTransport(response, ctx.config().maxOutboundBytes()), ctx);
        response.closeHandler(v -> connection.cleanUp());
        response.exceptionHandler(e -> log.debug("event stream error: {}", e.toString()));
        connection.inbox.add(new JsonObject().put("type", "auth").put("token", token).encode());
        JsonObject subscribe = new JsonObject().put("type", "subscribe");
        if (cursor != null) {
            subscribe.put("cursor", cursor);
        }
        connection.inbox.add(subscribe.encode());
        connection.drain();
        return connection;
    }

    Principal principal() {
        return claims == null ? null : claims.principal();
    }

    // ---- frames from the client -------------------------------------------------------------------------

    private void onText(String text) {
        ctx.metrics().frameIn();
        if (tooBig(text)) {
            close(CloseCodes.TOO_BIG, "frame larger than " + ctx.config().maxFrameSize() + " bytes");
            return;
        }
        long now = System.nanoTime();
        lastHeard = now;
        if (now - windowStart > 1_000_000_000L) {
            windowStart = now;
            windowCount = 0;
        }
        if (++windowCount > ctx.config().maxMessagesPerSecond()) {
            send(Frames.error(null, "rate_limited", "More than " + ctx.config().maxMessagesPerSecond() + " frames per second."));
            close(CloseCodes.RATE_LIMITED, "rate limit exceeded");
            return;
        }
        inbox.add(text);
        drain();
    }

    private boolean tooBig(String text) {
        int max = ctx.config().maxFrameSize();
        if (text.length() > max) {
            return true;
        }
        return (long) text.length() * 3 > max && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > max;
    }

    private void drain() {
        while (!processing && !closed && !inbox.isEmpty()) {
            processing = true;
            Future<Void> handled;
            try {
                handled = handle(inbox.poll());
            } catch (RuntimeException e) {
                handled = Future.failedFuture(e);
            }
            handled.onComplete(done -> {
                if (done.failed()) {
                    log.warn("frame handling failed", done.cause());
                }
                processing = false;
                drain();
            });
        }
    }

    private Future<Void> handle(String text) {
        JsonObject frame;
        try {
            frame = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            send(Frames.error(null, "invalid_json", "A frame must be a JSON object."));
            return Future.succeededFuture();
        }
        String type = frame.getValue("type") instanceof String t ? t : "";
        if (claims == null && !type.equals("auth")) {
            send(Frames.error(null, "unauthenticated", "Send {\"type\":\"auth\",\"token\":…} first."));
            close(CloseCodes.UNAUTHENTICATED, "authentication required");
            return Future.succeededFuture();
        }
        return switch (type) {
            case "auth" -> authenticate(frame.getString("token"), false);
            case "refresh" -> authenticate(frame.getString("token"), true);
            case "subscribe" -> subscribe(frame.getValue("cursor"));
            case "ack" -> acknowledge(frame.getValue("offset"));
            case "ping" -> {
                send(Frames.pong());
                yield Future.succeededFuture();
            }
            case "command" -> command(frame);
            default -> {
                send(Frames.error(null, "unknown_type", "Unknown frame type '" + type + "'."));
                yield Future.succeededFuture();
            }
        };
    }

    private Future<Void> authenticate(String token, boolean refresh) {
        if (token == null || token.isBlank()) {
            send(Frames.error(null, "token_invalid", "The frame has no token."));
            if (claims == null) {
                close(CloseCodes.UNAUTHENTICATED, "no token");
            }
            return Future.succeededFuture();
        }
        authenticating = true;
        return ctx.authentication().authenticate(token).transform(result -> {
            authenticating = false;
            if (closed) {
                return Future.succeededFuture();
            }
            if (result.failed()) {
                String code = result.cause() instanceof ApiError e ? e.code() : "token_invalid";
                send(Frames.error(null, code, "The token was refused."));
                if (claims == null) {
                    close(CloseCodes.UNAUTHENTICATED, code);
                }
                return Future.succeededFuture();
            }
            TokenClaims fresh = result.result();
            if (claims != null) {
                if (!claims.subject().equals(fresh.subject())) {
                    send(Frames.error(null, "principal_mismatch", "A refreshed token must be for the same account."));
                    return Future.succeededFuture();
                }
                ctx.registry().changeSession(this, claims.sessionId(), fresh.sessionId());
                claims = fresh;
                send(new JsonObject().put("type", "refreshed").put("expiresAt", fresh.expiresAt().toString()).encode());
                return Future.succeededFuture();
            }
            if (refresh) {
                send(Frames.error(null, "unauthenticated", "Authenticate before refreshing."));
                return Future.succeededFuture();
            }
            if (!ctx.principals().tryAcquire(fresh.subject(), ctx.config().maxConnectionsPerPrincipal())) {
                send(Frames.error(null, "too_many_connections", "This account has too many open sockets."));
                close(CloseCodes.TOO_MANY_CONNECTIONS, "too many connections");
                return Future.succeededFuture();
            }
            slotTaken = true;
            claims = fresh;
            ctx.registry().authenticated(this, fresh.sessionId());
            send(Frames.authenticated(fresh.subject().toString(), fresh.kind().wireName(), fresh.expiresAt().getEpochSecond()));
            return Future.succeededFuture();
        });
    }

    private Future<Void> subscribe(Object cursorValue) {
        if (subscribed) {
            send(Frames.error(null, "already_subscribed", "This socket is already subscribed."));
            return Future.succeededFuture();
        }
        JsonObject cursor = cursorValue instanceof JsonObject c ? c : null;
        if (cursorValue != null && (cursor == null || !(cursor.getValue("offset") instanceof Number)
                || !(cursor.getValue("epoch") instanceof String))) {
            send(Frames.error(null, "invalid_cursor", "A cursor is {\"epoch\": string, \"offset\": number}."));
            return Future.succeededFuture();
        }
        subscribed = true;
        ctx.registry().subscribe(this, claims.subject()); // from now on live events queue here: none is missed
        return ctx.streams().position(claims.subject()).map(position -> {
            start(position, cursor);
            return (Void) null;
        }).recover(failure -> {
            log.warn("cannot read a stream position: {}", failure.getMessage());
            send(Frames.error(null, "unavailable", "The event history cannot be read now; reconnect later."));
            close((short) 1011, "database unavailable");
            return Future.succeededFuture();
        });
    }

    private void start(StreamPosition position, JsonObject cursor) {
        positioned = true;
        epoch = position.epoch();
        if (cursor == null) {
            delivered = position.head();
            recovered = true;
        } else {
            String clientEpoch = cursor.getString("epoch");
            long offset = cursor.getLong("offset");
            boolean emptyStream = position.head() == 0 && position.epoch().isEmpty();
            recovered = emptyStream ? offset == 0 : position.canRecoverFrom(clientEpoch, offset);
            delivered = recovered ? (emptyStream ? 0 : offset) : position.head();
        }
        announceAt = position.head();
        if (delivered < position.head()) {
            catchUp(position.head());
        } else {
            announce();
            pump();
        }
    }

    private void announce() {
        if (announceAt != null && delivered >= announceAt) {
            announceAt = null;
            send(Frames.subscribed(epoch, delivered, recovered));
        }
    }

    private Future<Void> acknowledge(Object value) {
        if (!(value instanceof Number number) || number.longValue() < 0 || number.longValue() > delivered) {
            send(Frames.error(null, "invalid_ack", "Acknowledge an offset you have received."));
            return Future.succeededFuture();
        }
        ackWanted = Math.max(ackWanted, number.longValue());
        writeAck();
        return Future.succeededFuture();
    }

    /** At most one acknowledgement write in flight per socket; the newest wanted offset wins. */
    private void writeAck() {
        if (ackInFlight || claims == null) {
            return;
        }
        long offset = ackWanted;
        ackInFlight = true;
        ctx.streams().acknowledge(claims.subject(), offset).onComplete(done -> {
            ackInFlight = false;
            if (ackWanted > offset) {
                writeAck();
            }
        });
    }

    private Future<Void> command(JsonObject frame) {
        String id = frame.getValue("id") instanceof String s && !s.isEmpty() && s.length() <= 100 ? s : null;
        if (id == null) {
            send(Frames.error(null, "invalid_command", "A command needs an \"id\" string of 1 to 100 characters."));
            return Future.succeededFuture();
        }
        String op = frame.getValue("op") instanceof String s ? s : "";
        JsonObject args = frame.getValue("args") instanceof JsonObject a ? a : new JsonObject();
        String key = frame.getValue("idempotencyKey") instanceof String k ? k : null;
        Future<JsonObject> execution;
        try {
            execution = ctx.commands().execute(claims.principal(), op, args, key);
        } catch (ApiError e) {
            execution = Future.failedFuture(e);
        }
        return execution.transform(result -> {
            if (result.succeeded()) {
                send(Frames.result(id, result.result()));
            } else if (result.cause() instanceof ApiError e) {
                send(Frames.error(id, e.code(), e.detail()));
            } else {
                log.error("command {} failed", op, result.cause());
                send(Frames.error(id, "internal_error", "The command failed unexpectedly; it has been logged."));
            }
            return Future.succeededFuture();
        });
    }

    // ---- events to the client ---------------------------------------------------------------------------

    /** A committed event of this socket's principal, from the event bus. */
    void onLive(String eventEpoch, long offset, String frame, long committedAt) {
        if (closed || !subscribed) {
            return;
        }
        if (!positioned) {
            pending.put(offset, new Pending(frame, committedAt)); // sorted out once the position is read
            return;
        }
        if (epoch == null || epoch.isEmpty()) {
            epoch = eventEpoch; // the stream was created after we subscribed
        } else if (!epoch.equals(eventEpoch)) {
            send(Frames.error(null, "stream_reset", "The event history was reset; subscribe again without a cursor."));
            close(CloseCodes.STREAM_RESET, "stream reset");
            return;
        }
        pending.put(offset, new Pending(frame, committedAt));
        if (pending.size() > MAX_PENDING_LIVE) {
            slowConsumer();
            return;
        }
        pump();
    }

    private void pump() {
        while (positioned && !catchingUp && !closed && !pending.isEmpty()) {
            Map.Entry<Long, Pending> first = pending.firstEntry();
            long offset = first.getKey();
            if (offset <= delivered) {
                pending.pollFirstEntry();
            } else if (offset == delivered + 1) {
                pending.pollFirstEntry();
                if (transport.full()) {
                    slowConsumer();
                    return;
                }
                write(first.getValue().frame(), offset);
                ctx.metrics().delivered(first.getValue().committedAt());
            } else {
                catchUp(offset - 1); // a gap: an event whose publication we missed; read it back first
                return;
            }
        }
    }

    private void catchUp(long target) {
        catchingUp = true;
        ctx.streams().replay(claims.subject(), delivered, target, ctx.config().replayPageSize())
                .onSuccess(events -> {
                    if (closed) {
                        return;
                    }
                    writePage(events, target);
                    if (delivered < target) {
                        afterDrain(() -> catchUp(target));
                    } else {
                        catchingUp = false;
                        announce();
                        pump();
                    }
                })
                .onFailure(failure -> {
                    log.warn("cannot replay a stream: {}", failure.getMessage());
                    send(Frames.error(null, "unavailable", "The event history cannot be read now; reconnect with your cursor."));
                    close((short) 1011, "database unavailable");
                });
    }

    private void writePage(List<StreamEvent> events, long target) {
        if (events.isEmpty()) {
            log.warn("stream of {} has no events in ({}, {}]: skipping ahead", claims.subject(), delivered, target);
            delivered = target;
            return;
        }
        for (StreamEvent event : events) {
            if (event.offset() == delivered + 1) {
                write(event.toFrame(), event.offset(), event.type());
            }
        }
    }

    /** Replays wait for the client to read what was written before the next page, within the idle timeout. */
    private void afterDrain(Runnable next) {
        if (!transport.full()) {
            next.run();
            return;
        }
        long timer = ctx.vertx().setTimer(ctx.config().idleTimeout().toMillis(), id -> slowConsumer());
        transport.onDrain(() -> {
            ctx.vertx().cancelTimer(timer);
            next.run();
        });
    }

    /** Live events carry their type in the frame already; the label is read only by transports that need it. */
    private void write(String frame, long offset) {
        write(frame, offset, EventFrames.type(frame));
    }

    private void write(String frame, long offset, String type) {
        transport.write(frame, epoch, offset, type);
        delivered = offset;
        ctx.metrics().frameOut();
    }

    private void send(String frame) {
        if (!closed) {
            transport.write(frame, epoch, -1, null);
            ctx.metrics().frameOut();
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------------------

    /** Called about once a second: authentication deadline, token expiry, idleness, heartbeat. */
    void sweep(long now) {
        if (closed) {
            return;
        }
        if (claims == null && !authenticating && now - openedAt > ctx.config().authTimeout().toNanos()) {
            send(Frames.error(null, "unauthenticated", "No credentials within " + ctx.config().authTimeout() + "."));
            close(CloseCodes.UNAUTHENTICATED, "authentication timeout");
        } else if (claims != null && claims.expiresAt().isBefore(ctx.clock().instant())) {
            send(Frames.error(null, "token_expired", "The access token expired; send a refresh frame before it does."));
            close(CloseCodes.TOKEN_EXPIRED, "token expired");
        } else if (transport.hearsClient() && now - lastHeard > ctx.config().idleTimeout().toNanos()) {
            close(CloseCodes.IDLE, "idle");
        } else if (now - lastPing > ctx.config().heartbeatInterval().toNanos()) {
            lastPing = now;
            transport.ping();
        }
    }

    private void slowConsumer() {
        ctx.metrics().slowConsumer();
        close(CloseCodes.SLOW_CONSUMER, "slow consumer");
    }

    void close(short code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        transport.close(code, reason);
        cleanUp();
    }

    private boolean cleanedUp;

    private void cleanUp() {
        closed = true;
        if (cleanedUp) {
            return;
        }
        cleanedUp = true;
        pending.clear();
        ctx.registry().remove(this, claims == null ? null : claims.subject(), claims == null ? null : claims.sessionId());
        if (slotTaken) {
            ctx.principals().release(claims.subject());
        }
        ctx.metrics().closed();
    }
}

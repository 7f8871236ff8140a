package fr.relais.gateway.ws;

import fr.relais.db.DatabaseOutage;
import fr.relais.error.ApiError;
import fr.relais.identity.consent.AppEvents;
import fr.relais.identity.token.TokenClaims;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.InvalidCharacters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket, confined to its gateway instance's event loop: it handles the client's frames one at a
 * time, in order (authentication by header or first frame, refresh, subscription, acknowledgements, commands),
 * enforces the per-socket limits, and is swept once a second for deadlines and heartbeats. Once subscribed, its
 * {@link OrderedDelivery} gives it every event of its principal exactly once and in order.
 */
final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Transport transport;
    private final SocketContext ctx;
    private final long openedAt = System.nanoTime();
    private final Deque<String> inbox = new ArrayDeque<>();

    private long lastHeard = openedAt;
    private long lastPing = openedAt;
    private long windowStart = openedAt;
    private int windowCount;
    private boolean processing;
    /** A system's socket closes (4008) when more frames than this many times its command window wait. */
    private static final int WAITING_PER_COMMAND_SLOT = 4;
    private int commandsInFlight;
    private Promise<Void> slotFreed;
    private boolean authenticating;
    private boolean slotTaken;
    private boolean closed;
    private TokenClaims claims;

    private OrderedDelivery delivery;  // set once subscribed

    private long ackWanted;
    private boolean ackInFlight;

    private Connection(Transport transport, SocketContext ctx) {
        this.transport = transport;
        this.ctx = ctx;
    }

    /**
     * A client on {@code /api/v1/ws}: {@code claims} of the token checked at the handshake, or null when the client
     * sends its credentials in a first frame.
     */
    static Connection overWebSocket(WebSocketChannel socket, TokenClaims claims, SocketContext ctx) {
        Connection connection = new Connection(socket, ctx);
        socket.attach(connection);
        ctx.registry().add(connection); // before admitting: a refusal (4006) takes it out again
        if (claims != null) {
            connection.admit(claims, false);
        }
        return connection;
    }

    /**
     * A client of {@code GET /api/v1/events}, whose bearer token the REST edge has checked: the connection verifies it
     * again (that is what sends the {@code authenticated} frame), then subscribes from the cursor.
     */
    static Connection overEventStream(HttpServerResponse response, String token, JsonObject cursor, SocketContext ctx) {
        Connection connection = new Connection(new EventStreamTransport(response, ctx.config().maxOutboundBytes()), ctx);
        response.closeHandler(v -> connection.onClosed());
        response.exceptionHandler(e -> log.debug("event stream error: {}", e.toString()));
        ctx.registry().add(connection);
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

    /**
     * Whose sockets a socket counts among: its principal's; a catalogue app's, per grant (an app follows each of its
     * patients on sockets of their own).
     */
    private static UUID slotKey(TokenClaims of) {
        return of.patient() != null ? of.sessionId() : of.subject();
    }

    /** Whose stream the socket follows: its principal's, or for a catalogue app its consenting patient's. */
    private UUID streamOwner() {
        return claims.patient() != null ? claims.patient() : claims.subject();
    }

    // ---- frames from the client -------------------------------------------------------------------------

    /** A pong or a ping: the client is there. */
    void heard() {
        lastHeard = System.nanoTime();
    }

    void onText(String text) {
        ctx.metrics().frameIn();
        if (closed) {
            return; // a cut client may go on sending: nothing of it is kept
        }
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
        if (++windowCount > framesPerSecond()) {
            send(Frames.error(null, "rate_limited", "More than " + framesPerSecond() + " frames per second."));
            close(CloseCodes.RATE_LIMITED, "rate limit exceeded");
            return;
        }
        if (system() && inbox.size() >= WAITING_PER_COMMAND_SLOT * ctx.config().systemCommandsInFlight()) {
            send(Frames.error(null, "rate_limited", "More commands wait than " + WAITING_PER_COMMAND_SLOT
                    + " times ws.systemCommandsInFlight: wait for answers before sending more."));
            close(CloseCodes.RATE_LIMITED, "too many commands waiting");
            return;
        }
        inbox.add(text);
        drain();
    }

    private boolean system() {
        return claims != null && claims.principal().is(Principal.Kind.INTEGRATOR);
    }

    /** People send a few frames a second; a system sends its work (deposits, messages) on its socket. */
    private int framesPerSecond() {
        return system() ? ctx.config().systemMaxMessagesPerSecond() : ctx.config().maxMessagesPerSecond();
    }

    /**
     * A person's commands run one after the other, in the order sent (two messages keep their order); a system's
     * run up to {@code ws.systemCommandsInFlight} at once, each answered by its id when done, and the next frames
     * wait while that many run.
     */
    private Future<Void> commandInTurn(JsonObject frame) {
        if (!system()) {
            return command(frame);
        }
        UUID system = claims.principal().id();
        if (!ctx.principals().tryStartCommand(system, ctx.config().systemCommandsInFlight())) {
            // the system's other sockets of this node already run that many: the database pool is for everyone
            send(Frames.error(frame.getValue("id") instanceof String id ? id : null, "too_many_commands",
                    "This system already runs ws.systemCommandsInFlight commands on this node; send this one again once one is answered."));
            return Future.succeededFuture();
        }
        commandsInFlight++;
        command(frame).onComplete(done -> {
            ctx.principals().commandDone(system);
            commandsInFlight--;
            if (slotFreed != null) {
                Promise<Void> waiting = slotFreed;
                slotFreed = null;
                waiting.complete();
            }
        });
        if (commandsInFlight < ctx.config().systemCommandsInFlight()) {
            return Future.succeededFuture();
        }
        slotFreed = Promise.promise();
        return slotFreed.future();
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
            case "command" -> commandInTurn(frame);
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
            admit(result.result(), refresh);
            return Future.succeededFuture();
        });
    }

    /** A verified token: the socket's first credentials (a place among the principal's sockets), or a refresh. */
    private void admit(TokenClaims fresh, boolean refresh) {
        if (claims != null) {
            // an app's token is for one patient and what they granted: a refresh may not move the socket to another
            // patient, another grant or the app's own stream (the revocation of this one must still reach the socket)
            if (!claims.subject().equals(fresh.subject()) || claims.kind() != fresh.kind()
                    || !java.util.Objects.equals(claims.patient(), fresh.patient())
                    || claims.patient() != null && !claims.scopes().equals(fresh.scopes())) {
                send(Frames.error(null, "principal_mismatch", "A refreshed token must be for the same account (for an app: "
                        + "the same patient and scopes; reconnect with a token of another grant)."));
                return;
            }
            ctx.registry().changeSession(this, claims.sessionId(), fresh.sessionId());
            claims = fresh;
            send(new JsonObject().put("type", "refreshed").put("expiresAt", fresh.expiresAt().toString()).encode());
            return;
        }
        if (refresh) {
            send(Frames.error(null, "unauthenticated", "Authenticate before refreshing."));
            return;
        }
        if (!ctx.principals().tryAcquire(slotKey(fresh), ctx.config().maxConnectionsPerPrincipal())) {
            send(Frames.error(null, "too_many_connections", "This account has too many open sockets."));
            close(CloseCodes.TOO_MANY_CONNECTIONS, "too many connections");
            return;
        }
        slotTaken = true;
        claims = fresh;
        ctx.registry().authenticated(this, fresh.sessionId());
        send(Frames.authenticated(fresh.subject().toString(), fresh.kind().wireName(), fresh.expiresAt().getEpochSecond()));
    }

    private Future<Void> subscribe(Object cursorValue) {
        if (delivery != null) {
            send(Frames.error(null, "already_subscribed", "This socket is already subscribed."));
            return Future.succeededFuture();
        }
        Optional<ApiError> refusal = StreamAccess.refusal(claims.principal());
        if (refusal.isPresent()) {
            send(Frames.error(null, refusal.get().code(), refusal.get().detail()));
            return Future.succeededFuture();
        }
        JsonObject cursor = cursorValue instanceof JsonObject c ? c : null;
        if (cursorValue != null && (cursor == null || wholeOffset(cursor.getValue("offset")) == null
                || !(cursor.getValue("epoch") instanceof String))) {
            send(Frames.error(null, "invalid_cursor", "A cursor is {\"epoch\": string, \"offset\": a whole number, 0 or more}."));
            return Future.succeededFuture();
        }
        UUID stream = streamOwner();
        delivery = new OrderedDelivery(this, transport, ctx, stream,
                claims.patient() == null ? null : new AppEvents(claims.scopes())::view);
        ctx.registry().subscribe(this, stream); // from now on live events queue here: none is missed
        return ctx.streams().position(stream).map(position -> {
            delivery.start(position, cursor);
            return (Void) null;
        }).recover(failure -> {
            log.warn("cannot read a stream position: {}", failure.getMessage());
            send(Frames.error(null, "unavailable", "The event history cannot be read now; reconnect later."));
            close((short) 1011, "database unavailable");
            return Future.succeededFuture();
        });
    }

    private Future<Void> acknowledge(Object value) {
        if (!(value instanceof Number number) || number.longValue() < 0 || delivery == null
                || number.longValue() > delivery.delivered()) {
            send(Frames.error(null, "invalid_ack", "Acknowledge an offset you have received."));
            return Future.succeededFuture();
        }
        if (claims.patient() != null) {
            return Future.succeededFuture(); // an app keeps its own cursor: the patient's acknowledgements are theirs
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
        Object rawKey = frame.getValue("idempotencyKey");
        String key = rawKey instanceof String k ? k : null;
        String nul = key != null && InvalidCharacters.in(key) ? "idempotencyKey" : InvalidCharacters.findIn(args, "args");
        Future<JsonObject> execution;
        try {
            execution = nul != null ? Future.failedFuture(InvalidCharacters.refused(nul))
                    : ctx.commands().execute(claims.principal(), op, args, Fields.idempotencyKey(rawKey)); // a key that is not one is refused, never ignored
        } catch (RuntimeException e) {
            execution = Future.failedFuture(e);
        }
        return execution.transform(result -> {
            if (result.succeeded()) {
                send(Frames.result(id, result.result()));
            } else if (DatabaseOutage.toClientError(result.cause()) instanceof ApiError e) {
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
        if (!closed && delivery != null) {
            delivery.onLive(eventEpoch, offset, frame, committedAt);
        }
    }

    /**
     * A cursor's offset: a whole number from 0 to 2^63-1, however the JSON wrote it ({@code 42}, {@code 42.0},
     * {@code 4.2E1}); null for anything else. Exact: a check through a double would let values just past 2^63-1 in.
     */
    private static Long wholeOffset(Object value) {
        if (!(value instanceof Number number)) {
            return null;
        }
        try {
            long offset = new BigDecimal(number.toString()).longValueExact();
            return offset >= 0 ? offset : null;
        } catch (ArithmeticException | NumberFormatException notWhole) {
            return null;
        }
    }

    /**
     * A control frame (not an event): a command's result, an error, an acknowledgement of the protocol. It counts
     * toward {@code ws.maxOutboundBytes} like events do: a client that lets replies pile up is cut (4004).
     */
    void send(String frame) {
        if (closed) {
            return;
        }
        if (transport.full()) {
            slowConsumer();
            return;
        }
        transport.write(frame, delivery == null ? null : delivery.epoch(), -1, null);
        ctx.metrics().frameOut();
    }

    boolean isClosed() {
        return closed;
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
        } else if (claims != null && claims.expiresAt().plus(ctx.clockSkew()).isBefore(ctx.clock().instant())) {
            // the skew the REST edge grants a token (auth.clockSkew): a socket is not cut while its token would pass
            send(Frames.error(null, "token_expired", "The access token expired; send a refresh frame before it does."));
            close(CloseCodes.TOKEN_EXPIRED, "token expired");
        } else if (transport.hearsClient() && now - lastHeard > ctx.config().idleTimeout().toNanos()) {
            close(CloseCodes.IDLE, "idle");
        } else if (now - lastPing > ctx.config().heartbeatInterval().toNanos()) {
            lastPing = now;
            transport.ping();
        }
    }

    void slowConsumer() {
        ctx.metrics().slowConsumer();
        close(CloseCodes.SLOW_CONSUMER, "slow consumer");
    }

    void close(short code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        transport.close(code, reason);
        onClosed();
    }

    private boolean cleanedUp;

    /** The socket is closed, by either side: it leaves the registry and gives back its slot. */
    void onClosed() {
        closed = true;
        if (cleanedUp) {
            return;
        }
        cleanedUp = true;
        if (delivery != null) {
            delivery.clear();
        }
        ctx.registry().remove(this, claims == null ? null : streamOwner(), claims == null ? null : claims.sessionId());
        if (slotTaken) {
            ctx.principals().release(slotKey(claims));
        }
        ctx.metrics().closed();
    }
}

package fr.relais.gateway.ws;

import fr.relais.error.ApiError;
import fr.relais.identity.Authentication;
import fr.relais.identity.account.SpaceClosure;
import fr.relais.identity.token.TokenClaims;
import fr.relais.principal.Principal;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/ws} for one gateway instance: accepts sockets, hands each committed stream event (from the
 * event bus, encoded once) to the sockets of its recipient, drops the sockets of revoked sessions, and sweeps
 * all its sockets once a second (authentication deadline, token expiry, idleness, heartbeat pings) instead of
 * keeping a timer per socket.
 */
public final class WebSocketEndpoint {
    public static final String PATH = "/api/v1/ws";

    private final Vertx vertx;
    private final SocketContext ctx;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final WebSocketUpgrade upgrade;
    private MessageConsumer<String> events;
    private MessageConsumer<JsonArray> revocations;
    private long sweeper = -1;

    public WebSocketEndpoint(Vertx vertx, WebSocketDependencies deps) {
        this.vertx = vertx;
        this.ctx = new SocketContext(vertx, deps.config(), deps.authentication(), deps.streams(), deps.commands(),
                deps.metrics(), deps.principals(), registry, deps.clock(), deps.clockSkew());
        this.upgrade = new WebSocketUpgrade(deps.config().maxFrameSize(), deps.config().maxOutboundBytes());
    }

    public Future<Void> start() {
        events = vertx.eventBus().consumer(Streams.ADDRESS, this::onEvent);
        revocations = vertx.eventBus().consumer(SpaceClosure.SESSIONS_REVOKED, this::onRevoked);
        sweeper = vertx.setPeriodic(1000, id -> {
            long now = System.nanoTime();
            registry.all().forEach(connection -> connection.sweep(now));
        });
        return Future.join(events.completion(), revocations.completion()).mapEmpty();
    }

    /**
     * {@code GET /api/v1/ws} with an upgrade: the socket is served on its channel from now on. A bearer token sent
     * with the request is checked first: one that is refused is answered 401 (problem+json, the REST API's codes) and
     * nothing is upgraded. Without one (browsers cannot set the header), the client authenticates by a first frame.
     */
    public void upgrade(RoutingContext rc) {
        Optional<ApiError> refusal = upgrade.refusal(rc.request());
        if (refusal.isPresent()) {
            rc.fail(refusal.get());
            return;
        }
        String authorization = rc.request().getHeader("Authorization");
        if (authorization == null) {
            open(rc, null);
            return;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            rc.fail(ApiError.of(401, "unauthenticated",
                    "The socket takes a Bearer access token in Authorization, or no Authorization and a first auth frame."));
            return;
        }
        ctx.authentication().authenticate(authorization.substring(7).strip()).onComplete(checked -> {
            if (rc.response().closed()) {
                return; // the client left while its token was checked
            }
            if (checked.failed()) {
                rc.fail(checked.cause());
            } else {
                open(rc, checked.result());
            }
        });
    }

    private void open(RoutingContext rc, TokenClaims claims) {
        upgrade.accept(rc.request()).onSuccess(socket -> {
            ctx.metrics().opened();
            Connection.overWebSocket(socket, claims, ctx);
        }).onFailure(rc::fail);
    }

    /**
     * {@code GET /api/v1/events}: the same stream as Server-Sent Events. The cursor comes from
     * {@code Last-Event-ID} (or {@code ?lastEventId=}), written {@code <epoch>:<offset>} as each event's id.
     */
    public void eventStream(RoutingContext rc) {
        Principal who = Authentication.principal(rc); // 401 without a valid bearer token
        StreamAccess.refusal(who).ifPresent(refusal -> {
            throw refusal;
        });
        String token = rc.request().getHeader("Authorization").substring(7).strip();
        String lastEventId = rc.request().getHeader("Last-Event-ID");
        if (lastEventId == null) {
            lastEventId = rc.queryParams().get("lastEventId");
        }
        JsonObject cursor = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            int colon = lastEventId.lastIndexOf(':');
            long offset;
            try {
                offset = Long.parseLong(lastEventId.substring(colon + 1));
            } catch (RuntimeException e) {
                offset = -1;
            }
            if (colon < 0 || offset < 0) {
                throw ApiError.invalidField("Last-Event-ID", "An event id is <epoch>:<offset>, as the stream sent it.");
            }
            cursor = new JsonObject().put("epoch", lastEventId.substring(0, colon)).put("offset", offset);
        }
        ctx.metrics().opened();
        Connection.overEventStream(rc.response(), token, cursor, ctx);
    }

    private void onEvent(Message<String> message) {
        List<Connection> subscribers = registry.subscribers(UUID.fromString(message.headers().get("recipient")));
        if (subscribers.isEmpty()) {
            return;
        }
        String epoch = message.headers().get("epoch");
        long offset = Long.parseLong(message.headers().get("offset"));
        long committedAt = Long.parseLong(message.headers().get("committedAt"));
        for (Connection connection : List.copyOf(subscribers)) {
            connection.onLive(epoch, offset, message.body(), committedAt);
        }
    }

    private void onRevoked(Message<JsonArray> message) {
        for (Object id : message.body()) {
            for (Connection connection : registry.ofSession(UUID.fromString(id.toString()))) {
                connection.close(CloseCodes.SESSION_REVOKED, "session revoked");
            }
        }
    }

    /** Closes every socket with 1001 (going away): clients reconnect, to another node, with their cursor. */
    public Future<Void> stop() {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        registry.all().forEach(connection -> connection.close(CloseCodes.GOING_AWAY, "server shutting down"));
        return Future.join(events == null ? Future.succeededFuture() : events.unregister(),
                revocations == null ? Future.succeededFuture() : revocations.unregister()).mapEmpty();
    }
}

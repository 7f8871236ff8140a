package fr.relais.gateway.ws;

import fr.relais.error.ApiError;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.List;
import java.util.Optional;

/**
 * Takes an HTTP/1.1 upgrade request to {@code /api/v1/ws} away from Vert.x and finishes it on the Netty channel:
 * the handshake answers 101, the HTTP handlers leave the pipeline, and a {@link WebSocketChannel} becomes its
 * last handler. Vert.x's own WebSocket keeps two connection objects and two 4 KiB message queues per socket,
 * which is most of an idle socket's memory; this keeps the frame codec and one small handler. The channel stays
 * on the event loop of the gateway instance that received the request.
 */
final class WebSocketUpgrade {
    /** The names Vert.x gives its HTTP/1.1 handlers besides the codec (HttpServerConnectionInitializer). */
    private static final List<String> VERTX_HTTP_HANDLERS = List.of("chunkedWriter", "idle", "inflater", "deflater");

    private final int maxFrameSize;
    private final WebSocketDecoderConfig decoderConfig;
    private final WriteBufferWaterMark outboundLimit;

    WebSocketUpgrade(int maxFrameSize, int maxOutboundBytes) {
        this.maxFrameSize = maxFrameSize;
        // a hard cap for the codec; the connection itself closes with 1009 above ws.maxFrameSize. No extensions:
        // per-message compression would cost a zlib context per socket. The decoder does not close by itself on a
        // violation: its close frame would bypass the frame encoder (added after it) and never reach the client;
        // WebSocketChannel closes with the violation's code instead.
        this.decoderConfig = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(4 * maxFrameSize)
                .allowExtensions(false).closeOnProtocolViolation(false).build();
        this.outboundLimit = new WriteBufferWaterMark(maxOutboundBytes / 2, maxOutboundBytes);
    }

    /** Why this request cannot be upgraded (400, 426), checked before anything else is done for it. */
    Optional<ApiError> refusal(HttpServerRequest request) {
        if (!(request.connection() instanceof ConnectionBase) || request.version() != io.vertx.core.http.HttpVersion.HTTP_1_1) {
            return Optional.of(ApiError.badRequest("websocket_handshake", "A WebSocket is opened with an HTTP/1.1 upgrade."));
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return Optional.of(ApiError.badRequest("websocket_handshake",
                    "This address opens a WebSocket: send Upgrade: websocket."));
        }
        String connectionHeader = request.getHeader("Connection");
        String key = request.getHeader("Sec-WebSocket-Key");
        if (connectionHeader == null || !connectionHeader.toLowerCase(java.util.Locale.ROOT).contains("upgrade") || key == null || key.isBlank()) {
            return Optional.of(ApiError.badRequest("websocket_handshake",
                    "A WebSocket upgrade needs Connection: Upgrade and a Sec-WebSocket-Key."));
        }
        if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
            request.response().putHeader("Sec-WebSocket-Version", "13");
            return Optional.of(ApiError.of(426, "websocket_version", "Only WebSocket version 13 is supported."));
        }
        return Optional.empty();
    }

    /** Answers 101 and hands the channel over; fails with an {@link ApiError} (400, 426) for a bad handshake. */
    Future<WebSocketChannel> accept(HttpServerRequest request) {
        Optional<ApiError> refusal = refusal(request);
        if (refusal.isPresent()) {
            return Future.failedFuture(refusal.get());
        }
        ConnectionBase connection = (ConnectionBase) request.connection();
        Channel channel = connection.channel();
        FullHttpRequest upgrade = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, request.uri(), Unpooled.EMPTY_BUFFER);
        request.headers().forEach(header -> upgrade.headers().add(header.getKey(), header.getValue()));
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshaker13(location(request), null, decoderConfig);
        HttpHeaders answer = new DefaultHttpHeaders();
        request.response().headers().forEach(header -> answer.add(header.getKey(), header.getValue()));
        ContextInternal context = ContextInternal.current();
        WebSocketChannel socket = new WebSocketChannel(channel, context, outboundLimit);
        Promise<WebSocketChannel> done = context.promise();
        try {
            handshaker.handshake(channel, upgrade, answer, channel.newPromise()).addListener(written -> {
                if (written.isSuccess()) {
                    socket.whenClosed(reportUpgraded(connection, request));
                    done.tryComplete(socket);
                } else {
                    channel.close();
                    done.tryFail(written.cause());
                }
            });
        } catch (WebSocketHandshakeException e) {
            return Future.failedFuture(ApiError.badRequest("websocket_handshake", e.getMessage()));
        } finally {
            upgrade.release();
        }
        // the handshake swapped the HTTP decoder for the frame decoder and drops the HTTP encoder once the 101 is
        // out; what else Vert.x put in the pipeline for HTTP goes now
        ChannelPipeline pipeline = channel.pipeline();
        for (String name : VERTX_HTTP_HANDLERS) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
        pipeline.replace("handler", "relais-ws", socket);
        pipeline.addBefore("relais-ws", "ws-aggregator", new WebSocketFrameAggregator(4 * maxFrameSize));
        // the frame decoder does not check that text is UTF-8; this does (1007), leaving the close to WebSocketChannel
        pipeline.addBefore("ws-aggregator", "ws-utf8", new Utf8FrameValidator(false));
        return done.future();
    }

    /**
     * Vert.x counts the upgrade request and the connection in its HTTP metrics but will not see them end once it
     * has let the channel go: the request is reported answered (101) now, and the returned action reports the
     * connection closed when the socket closes.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Runnable reportUpgraded(ConnectionBase connection, HttpServerRequest request) {
        if (!(connection.metrics() instanceof HttpServerMetrics metrics)) {
            return () -> { };
        }
        if (request instanceof HttpServerRequestInternal internal && request.response() instanceof HttpResponse response) {
            request.response().setStatusCode(101);
            if (!request.isEnded()) {
                // the request's empty end reaches the socket handler, not Vert.x (unless the upgrade waited for a
                // token check, during which Vert.x saw the end and reported it); the metrics do not read the request
                metrics.requestEnd(internal.metric(), request instanceof HttpRequest plain ? plain : null, 0);
            }
            metrics.responseBegin(internal.metric(), response);
            metrics.responseEnd(internal.metric(), response, 0);
        }
        Object socketMetric = connection.metric();
        SocketAddress remote = connection.remoteAddress();
        return () -> metrics.disconnected(socketMetric, remote);
    }

    private static String location(HttpServerRequest request) {
        return (request.isSSL() ? "wss://" : "ws://") + request.authority() + WebSocketEndpoint.PATH;
    }
}

package fr.relais.gateway;

import fr.relais.config.HttpConfig;
import fr.relais.gateway.ws.WebSocketDependencies;
import fr.relais.gateway.ws.WebSocketEndpoint;
import fr.relais.health.HealthRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP and WebSocket edge. Several instances run side by side (one per core by default) and share one
 * listening port; each has its own router.
 */
public final class GatewayVerticle extends VerticleBase {
    /** What every gateway instance is given: the listener's settings and the routes of each feature. */
    public record Dependencies(HttpConfig http, HealthRoutes health, Handler<RoutingContext> metrics,
                               Handler<RoutingContext> authentication, List<Consumer<Router>> apiRoutes,
                               List<Consumer<Router>> rootRoutes, WebSocketDependencies ws) {
    }

    private final Dependencies deps;
    private HttpServer server;
    private WebSocketEndpoint webSockets;

    public GatewayVerticle(Dependencies deps) {
        this.deps = deps;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(deps.http().host())
                .setPort(deps.http().port())
                .setCompressionSupported(true)
                // no HTTP/2 upgrade on clear text: WebSockets need HTTP/1.1, and upgraded connections proved flaky
                .setHttp2ClearTextEnabled(false)
                // sockets are served by gateway.ws.WebSocketUpgrade, which negotiates no extension: Vert.x must
                // not answer a browser's offer of compression on its behalf
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
        deps.http().tls().ifPresent(tls -> options.setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile().toString())
                        .setKeyPath(tls.keyFile().toString()))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3")));
        server = vertx.createHttpServer(options);
        webSockets = new WebSocketEndpoint(vertx, deps.ws());
        server.invalidRequestHandler(ProblemResponder::invalidRequest);
        return webSockets.start().compose(v -> server.requestHandler(router()).listen());
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(new ClientAddress(deps.http().trustedProxies()));
        router.route().handler(RequestLog::handle);
        router.route().handler(new SecurityHeaders(deps.http().tls().isPresent())::handle);
        router.route().handler(InputScreen::target); // before any route with a path decodes it
        if (!deps.http().corsAllowedOrigins().isEmpty()) {
            router.route("/api/*").handler(Cors.allowing(deps.http().corsAllowedOrigins()));
        }
        deps.health().mount(router);
        router.get("/metrics").handler(deps.metrics());
        deps.rootRoutes().forEach(mount -> mount.accept(router));
        router.get(WebSocketEndpoint.PATH).handler(webSockets::upgrade); // before the body and token handlers

        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(deps.http().maxBodySize()));
        router.route("/api/*").handler(InputScreen::body);
        router.route("/api/*").handler(deps.authentication());
        Router api = Router.router(vertx);
        api.get("/events").handler(webSockets::eventStream);
        deps.apiRoutes().forEach(mount -> mount.accept(api));
        router.route("/api/v1/*").subRouter(api);

        router.route().failureHandler(ProblemResponder::handleFailure);
        router.errorHandler(400, ProblemResponder::handleFailure);
        router.errorHandler(404, ProblemResponder::handleFailure);
        router.errorHandler(405, ProblemResponder::handleFailure);
        router.errorHandler(413, ProblemResponder::handleFailure);
        router.errorHandler(500, ProblemResponder::handleFailure);
        return router;
    }

    /** Closes the sockets with 1001, stops accepting, and lets requests in flight finish within the grace period. */
    @Override
    public Future<?> stop() {
        Future<Void> sockets = webSockets == null ? Future.succeededFuture() : webSockets.stop();
        return sockets.compose(v -> server == null ? Future.succeededFuture()
                : server.shutdown(deps.http().shutdownGrace().toMillis(), TimeUnit.MILLISECONDS));
    }
}

package fr.relais.webhook;

import fr.relais.config.WebhookConfig;
import fr.relais.net.OutboundClient;
import fr.relais.net.OutboundEndpoints;
import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import fr.relais.stream.StreamCommands;
import fr.relais.stream.Streams;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * Webhooks, for systems that cannot hold a socket: the events of their own stream, POSTed to their endpoint in
 * order, signed, retried with backoff, given up on into a dead-letter list they can replay; a job of the hub's.
 */
public final class WebhookModule {
    private final WebhookDelivery delivery;
    private final WebhookRoutes routes;
    private final WebhookDispatcher dispatcher;

    public WebhookModule(Vertx vertx, Streams streams, MasterKey masterKey, WebhookConfig config, Clock clock, MeterRegistry metrics) {
        OutboundEndpoints endpoints = new OutboundEndpoints(vertx, "url", "A webhook", config.allowHttp(), config.allowPrivateAddresses());
        this.delivery = new WebhookDelivery(new OutboundClient(vertx, endpoints, "relais-webhooks", config.timeout(),
                config.trustedCertificates()), clock, metrics);
        Webhooks webhooks = new Webhooks(streams.pool(), streams, new WebhookSigner(new Sealer(masterKey, "webhooks", "w1")),
                endpoints, delivery, config, clock);
        this.routes = new WebhookRoutes(webhooks, StreamCommands.READ_SCOPE);
        this.dispatcher = new WebhookDispatcher(streams.pool(), streams, webhooks, delivery, config, metrics);
    }

    public void mountApi(Router api) {
        routes.mount(api);
    }

    /** One delivery run (the hub's {@code webhooks.dispatch} job). */
    public Future<Integer> dispatch() {
        return dispatcher.runOnce();
    }

    public Future<Void> stop() {
        return delivery.close();
    }
}

package fr.relais.push;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import fr.relais.config.PushConfig;
import fr.relais.net.OutboundClient;
import fr.relais.net.OutboundEndpoints;
import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * Web Push to the installed portal: the cluster's VAPID key, people's devices (their browsers' push subscriptions)
 * and the sender that reaches one device. Which events become a push, and when, is decided elsewhere
 * ({@link #sender()}'s caller).
 */
public final class PushModule {
    private final Vertx vertx;
    private final Pool pool;
    private final MasterKey masterKey;
    private final PushConfig config;
    private final Clock clock;
    private final OutboundEndpoints endpoints;
    private final OutboundClient client;
    private final PushSubscriptions subscriptions;
    private volatile VapidKeys keys;
    private volatile WebPushSender sender;

    public PushModule(Vertx vertx, Pool pool, MasterKey masterKey, PushConfig config, Clock clock) {
        this.vertx = vertx;
        this.pool = pool;
        this.masterKey = masterKey;
        this.config = config;
        this.clock = clock;
        this.endpoints = new OutboundEndpoints(vertx, "endpoint", "A push endpoint", config.allowHttp(), config.allowPrivateAddresses());
        this.client = new OutboundClient(vertx, endpoints, "relais-push", config.timeout(), config.trustedCertificates());
        this.subscriptions = new PushSubscriptions(pool, new Sealer(masterKey, "push-subscriptions", "p1"), masterKey, clock);
    }

    /** Loads the VAPID key, making it if this is the cluster's first start (nothing when push is disabled). */
    public Future<Void> start() {
        if (!config.enabled()) {
            sender = new WebPushSender(vertx, subscriptions, client, null, null, config, clock);
            return Future.succeededFuture();
        }
        return new VapidKeyStore(pool, new Sealer(masterKey, "push-vapid", "v1"), clock).loadOrCreate().map(loaded -> {
            keys = loaded;
            sender = new WebPushSender(vertx, subscriptions, client, new WebPush(config.subject(), loaded),
                    new VapidTokens(loaded.getPrivateKey(), config.subject(), clock), config, clock);
            return null;
        });
    }

    public void mountApi(Router api) {
        new PushRoutes(subscriptions, endpoints, () -> keys.getApplicationServerKey(), config.enabled()).mount(api);
    }

    /** Sends to one device; lists a person's devices. */
    public WebPushSender sender() {
        return sender;
    }

    public Future<Void> stop() {
        return client.close();
    }
}

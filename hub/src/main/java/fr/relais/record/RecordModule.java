package fr.relais.record;

import fr.relais.audit.AuditLog;
import fr.relais.command.RequestFingerprints;
import fr.relais.config.RecordConfig;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;

/** Wires the record: its verticle (deployed once per node) and its routes (which call it over the event bus). */
public final class RecordModule {
    private final Vertx vertx;
    private final RecordService service;
    private final RecordRoutes routes;

    public RecordModule(Vertx vertx, Streams streams, AccessPolicy policy, AuditLog audit, MasterKey masterKey,
                        RecordConfig config, Clock clock) {
        this.vertx = vertx;
        this.service = new RecordService(streams, policy, audit, new Sealer(masterKey, "documents", config.keyId()),
                new DatabaseDocumentStorage(), config.maxDocumentSize(), clock, new RequestFingerprints(masterKey));
        this.routes = new RecordRoutes(new RecordClient(vertx));
    }

    public Future<String> deploy() {
        // one instance per core, each on its own event loop; the event bus spreads the requests between them
        return vertx.deployVerticle(() -> new RecordVerticle(service),
                new io.vertx.core.DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()));
    }

    public void mountApi(Router api) {
        routes.mount(api);
    }
}

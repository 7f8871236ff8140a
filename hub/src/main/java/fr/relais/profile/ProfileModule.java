package fr.relais.profile;

import fr.relais.audit.AuditLog;
import fr.relais.config.RecordConfig;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;

/** Wires the profile: its verticle (once per node) and its routes (which call it over the event bus). */
public final class ProfileModule {
    private final Vertx vertx;
    private final ProfileService service;
    private final ProfileRoutes routes;

    public ProfileModule(Vertx vertx, Streams streams, AccessPolicy policy, AuditLog audit, MasterKey masterKey,
                         RecordConfig config, Clock clock) {
        this.vertx = vertx;
        this.service = new ProfileService(streams, policy, audit, new Sealer(masterKey, "profile", config.keyId()), clock);
        this.routes = new ProfileRoutes(new ProfileClient(vertx));
    }

    public Future<String> deploy() {
        // one instance per core, each on its own event loop; the event bus spreads the requests between them
        return vertx.deployVerticle(() -> new ProfileVerticle(service),
                new io.vertx.core.DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()));
    }

    /**
     * The live entries of these sections ({@code treatments}, {@code vaccinations}…) of a patient's profile, each
     * {id, section, version, data, updatedAt}: for the agenda's reminder planning on this node (no caller, no
     * access history: nothing leaves the hub).
     */
    public Future<java.util.List<io.vertx.core.json.JsonObject>> entries(java.util.UUID patient, java.util.List<String> sections) {
        return service.entries(patient, sections);
    }

    public void mountApi(Router api) {
        routes.mount(api);
    }
}

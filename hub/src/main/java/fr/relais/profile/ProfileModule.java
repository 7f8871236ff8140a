package fr.relais.profile;

import fr.relais.audit.AuditLog;
import fr.relais.config.RecordConfig;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import fr.relais.stream.Streams;
import io.vertx.ext.web.Router;
import java.time.Clock;

/** Wires the profile: its service, which routes and the agenda call in-process as {@link MedicalProfile}. */
public final class ProfileModule {
    private final ProfileService service;
    private final ProfileRoutes routes;

    public ProfileModule(Streams streams, AccessPolicy policy, AuditLog audit, MasterKey masterKey, RecordConfig config, Clock clock) {
        this.service = new ProfileService(streams, policy, audit, new Sealer(masterKey, "profile", config.keyId()), clock);
        this.routes = new ProfileRoutes(service);
    }

    /** The profile, for features that read it (the agenda plans reminders from it). */
    public MedicalProfile profile() {
        return service;
    }

    public void mountApi(Router api) {
        routes.mount(api);
    }
}

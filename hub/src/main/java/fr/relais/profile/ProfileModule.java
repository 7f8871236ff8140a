package fr.relais.profile;

import fr.relais.audit.AuditLog;
import fr.relais.config.RecordConfig;
import fr.relais.command.CommandRegistry;
import fr.relais.error.ApiError;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.AppScope;
import fr.relais.web.Fields;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
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

    /**
     * {@code profile.add} over the socket: {@code {patientId, section, entry}}, the REST route's rules. A catalogue
     * app adds measurements for its consenting patient (connected devices: {@code patient/Observation.write}; the
     * patient may be left out), people as over REST; a retry with the frame's idempotency key answers the first entry.
     */
    public void registerCommands(CommandRegistry commands) {
        commands.register("profile.add", AppScope.MEASUREMENTS_WRITE.wireName(), (who, args) -> {
            UUID patient = who.isApp() && args.getValue("patientId") == null ? who.patient() : Fields.uuid(args, "patientId");
            ProfileSection section = ProfileSection.parse(args.getValue("section") instanceof String s ? s : "");
            if (!(args.getValue("entry") instanceof JsonObject entry)) {
                throw ApiError.invalidField("entry", "entry is the object a POST /api/v1/patients/{id}/profile/{section} takes.");
            }
            return service.add(who, patient, section, entry).map(ProfileEntry::toJson);
        });
    }
}

package fr.relais.profile;

import fr.relais.principal.Principal;
import fr.relais.service.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The profile's public interface (used by its routes, and by the agenda for treatments and vaccinations). */
public final class ProfileClient {
    static final String ADDRESS = "relais.profile";

    private final ServiceClient client;

    public ProfileClient(Vertx vertx) {
        this.client = new ServiceClient(vertx, ADDRESS, Duration.ofSeconds(30));
    }

    /** {patientId[, section, entryId, data]} for the action. */
    public Future<JsonObject> call(String action, Principal who, JsonObject args) {
        return client.call(action, who, args);
    }
}

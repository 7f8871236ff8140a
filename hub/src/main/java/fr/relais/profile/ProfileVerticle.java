package fr.relais.profile;

import fr.relais.service.ServiceEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/** The profile as a verticle: it serves {@value ProfileClient#ADDRESS} on the event bus. */
public final class ProfileVerticle extends VerticleBase {
    private final ProfileService service;
    private MessageConsumer<JsonObject> consumer;

    ProfileVerticle(ProfileService service) {
        this.service = service;
    }

    @Override
    public Future<?> start() {
        consumer = ServiceEndpoint.bind(vertx, ProfileClient.ADDRESS, service.actions());
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        return consumer.unregister();
    }
}

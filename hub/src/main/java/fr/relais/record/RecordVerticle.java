package fr.relais.record;

import fr.relais.service.ServiceEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/** The record as a verticle: it serves {@value RecordClient#ADDRESS} on the event bus, here or on another node. */
public final class RecordVerticle extends VerticleBase {
    private final RecordService service;
    private MessageConsumer<JsonObject> consumer;

    RecordVerticle(RecordService service) {
        this.service = service;
    }

    @Override
    public Future<?> start() {
        consumer = ServiceEndpoint.bind(vertx, RecordClient.ADDRESS, service.actions());
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        return consumer.unregister();
    }
}

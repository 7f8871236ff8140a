package fr.relais.command;

import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One operation that clients (integrators first) can run over their WebSocket:
 * {@code {"type":"command","id":…,"op":…,"args":{…},"idempotencyKey":…}}. Fail with an ApiError to answer an
 * error frame with its code.
 */
@FunctionalInterface
public interface CommandHandler {
    Future<JsonObject> handle(Principal who, JsonObject args);
}

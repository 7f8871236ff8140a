package fr.relais.service;

import fr.relais.db.DatabaseOutage;
import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The serving side of {@link ServiceClient}: dispatches each request to the action's handler and replies. */
public final class ServiceEndpoint {
    private static final Logger log = LoggerFactory.getLogger(ServiceEndpoint.class);

    /** One action: who asks, with which arguments. */
    public interface Action extends BiFunction<Principal, JsonObject, Future<JsonObject>> {
    }

    private ServiceEndpoint() {
    }

    public static MessageConsumer<JsonObject> bind(Vertx vertx, String address, Map<String, Action> actions) {
        return vertx.eventBus().consumer(address, (Message<JsonObject> message) -> {
            JsonObject request = message.body();
            Action action = actions.get(request.getString("action"));
            Future<JsonObject> result;
            try {
                result = action == null
                        ? Future.failedFuture(ApiError.badRequest("unknown_action", "Unknown action."))
                        : action.apply(Principal.fromJson(request.getJsonObject("principal")), request.getJsonObject("args"));
            } catch (RuntimeException e) {
                result = Future.failedFuture(e);
            }
            result.onSuccess(message::reply).onFailure(failure -> {
                if (DatabaseOutage.toClientError(failure) instanceof ApiError error) {
                    message.fail(error.status(), new JsonObject().put("code", error.code()).put("detail", error.detail())
                            .put("extensions", error.extensions())
                            .put("retryAfterMs", error.retryAfter().map(Duration::toMillis).orElse(null)).encode());
                } else {
                    log.error("{} {} failed", address, request.getString("action"), failure);
                    message.fail(500, new JsonObject().put("code", "internal_error")
                            .put("detail", "An unexpected error occurred; it has been logged.").encode());
                }
            });
        });
    }
}

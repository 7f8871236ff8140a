package fr.relais.service;

import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Calls a feature verticle over the event bus: {@code {action, principal, args}} in, a JSON object out. A refusal
 * comes back as the feature's ApiError (status, code, detail), so callers cannot tell a remote service from a
 * local one. Every node runs every feature verticle, so a call stays on its node even with a clustered event bus:
 * a node killed without notice keeps its registrations in the cluster until the others notice it is gone, and a
 * call sent there meanwhile would hang until its timeout (CrashBeforeAnswerTest retries a deposit on a survivor).
 */
public final class ServiceClient {
    private final Vertx vertx;
    private final String address;
    private final DeliveryOptions options;

    public ServiceClient(Vertx vertx, String address, Duration timeout) {
        this.vertx = vertx;
        this.address = address;
        this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis()).setLocalOnly(true);
    }

    public Future<JsonObject> call(String action, Principal who, JsonObject args) {
        JsonObject request = new JsonObject().put("action", action).put("principal", who.toJson()).put("args", args);
        return vertx.eventBus().<JsonObject>request(address, request, options)
                .map(reply -> reply.body())
                .recover(failure -> Future.failedFuture(toApiError(failure)));
    }

    private static Throwable toApiError(Throwable failure) {
        if (failure instanceof ReplyException reply && reply.failureCode() >= 400 && reply.getMessage() != null
                && reply.getMessage().startsWith("{")) {
            JsonObject problem = new JsonObject(reply.getMessage());
            ApiError error = ApiError.of(reply.failureCode(), problem.getString("code"), problem.getString("detail"));
            for (String member : problem.getJsonObject("extensions", new JsonObject()).fieldNames()) {
                error = error.with(member, problem.getJsonObject("extensions").getValue(member));
            }
            Long retryAfterMs = problem.getLong("retryAfterMs");
            return retryAfterMs == null ? error : error.retryAfter(Duration.ofMillis(retryAfterMs));
        }
        if (failure instanceof ReplyException) {
            return ApiError.of(503, "service_unavailable", "A service did not answer in time; try again.")
                    .retryAfter(Duration.ofSeconds(2));
        }
        return failure;
    }
}

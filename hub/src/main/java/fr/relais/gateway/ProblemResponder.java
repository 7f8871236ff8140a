package fr.relais.gateway;

import fr.relais.db.DatabaseOutage;
import fr.relais.error.ApiError;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an {@code application/problem+json} answer (RFC 9457) with a stable {@code code}.
 * Unexpected failures are logged with their request id and answered 500 without any internal detail.
 */
final class ProblemResponder {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(ProblemResponder.class);

    private ProblemResponder() {
    }

    /** Failure handler for routes: a handler threw, or called {@code ctx.fail(…)}. */
    static void handleFailure(RoutingContext ctx) {
        send(ctx, toApiError(ctx));
    }

    static void send(RoutingContext ctx, ApiError error) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            response.reset(); // too late to answer properly: cut the exchange rather than send a corrupt body
            return;
        }
        JsonObject problem = new JsonObject()
                .put("type", "urn:relais:problem:" + error.code())
                .put("title", HttpStatusTitles.of(error.status()))
                .put("status", error.status())
                .put("code", error.code())
                .put("detail", error.detail());
        error.extensions().forEach(member -> problem.put(member.getKey(), member.getValue()));
        String requestId = RequestLog.requestId(ctx);
        if (requestId != null) {
            problem.put("requestId", requestId);
        }
        if (error.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"relais\", error=\"invalid_token\"");
        }
        error.retryAfter().ifPresent(delay ->
                response.putHeader("Retry-After", String.valueOf(Math.max(1, (delay.toMillis() + 999) / 1000))));
        response.setStatusCode(error.status())
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("Cache-Control", "no-store")
                .end(problem.encode());
    }

    private static ApiError toApiError(RoutingContext ctx) {
        Throwable failure = DatabaseOutage.toClientError(ctx.failure());
        if (failure != ctx.failure()) {
            log.warn("request {} refused, the database is unavailable: {}", RequestLog.requestId(ctx), ctx.failure().toString());
        }
        if (failure instanceof ApiError error) {
            return error;
        }
        int status = ctx.statusCode();
        return switch (status) {
            case 400 -> ApiError.badRequest("bad_request", "The request is malformed.");
            case 401 -> ApiError.of(401, "unauthenticated", "Authentication is required.");
            case 403 -> ApiError.of(403, "forbidden", "This action is not allowed.");
            case 404 -> ApiError.notFound("not_found", "There is nothing at this address.");
            case 405 -> ApiError.of(405, "method_not_allowed", "This address does not accept this method.");
            case 413 -> ApiError.of(413, "body_too_large", "The request body is larger than the limit.");
            case 415 -> ApiError.of(415, "unsupported_media_type", "This content type is not accepted here.");
            default -> {
                if (status >= 400 && status < 500) {
                    yield ApiError.of(status, "client_error", "The request cannot be processed.");
                }
                log.error("request {} failed", RequestLog.requestId(ctx), failure);
                yield ApiError.of(500, "internal_error", "An unexpected error occurred; it has been logged.");
            }
        };
    }
}

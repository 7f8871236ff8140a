package fr.relais.gateway;

import fr.relais.db.DatabaseOutage;
import fr.relais.error.ApiError;
import fr.relais.web.InvalidCharacters;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
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
        send(ctx.response(), error, RequestLog.requestId(ctx));
    }

    /**
     * Server handler for requests the HTTP decoder refused before any route saw them (a header value with a NUL or
     * another forbidden character, a request line or headers over the limits): a problem, then the connection closes.
     */
    static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ApiError error;
        if (cause instanceof TooLongFrameException && String.valueOf(cause.getMessage()).startsWith("An HTTP line")) {
            error = ApiError.of(414, "uri_too_long", "The request line is longer than the limit.");
        } else if (cause instanceof TooLongFrameException) {
            error = ApiError.of(431, "headers_too_large", "The request headers are larger than the limit.");
        } else if (cause instanceof IllegalArgumentException) {
            // Netty's header validation: a value holding a character HTTP does not allow, NUL among them
            error = ApiError.badRequest(InvalidCharacters.CODE, "A header holds a character that is not allowed (such as NUL).");
        } else {
            error = ApiError.badRequest("bad_request", "The request is malformed.");
        }
        log.debug("invalid HTTP request refused: {}", String.valueOf(cause));
        request.response().putHeader("Connection", "close");
        send(request.response(), error, UUID.randomUUID().toString());
    }

    private static void send(HttpServerResponse response, ApiError error, String requestId) {
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
            case 404 -> ApiError.nothingHere();
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

package fr.relais.error;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;

/**
 * The one error type of Relais: an HTTP status, a stable machine-readable {@code code} that clients may
 * switch on (it never changes once published), and a human-readable detail. The gateway renders it as
 * {@code application/problem+json} (RFC 9457); the WebSocket sends the same code in its error frames.
 *
 * <p>A detail must never carry health data: it is shown to clients and written to logs.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final Duration retryAfter;
    private final JsonObject extensions;

    private ApiError(int status, String code, String detail, Duration retryAfter, JsonObject extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
        this.extensions = extensions;
    }

    public static ApiError of(int status, String code, String detail) {
        return new ApiError(status, code, detail, null, new JsonObject());
    }

    public static ApiError badRequest(String code, String detail) {
        return of(400, code, detail);
    }

    public static ApiError notFound(String code, String detail) {
        return of(404, code, detail);
    }

    /**
     * The 404 for what does not exist and for what the caller may not know exists: the same answer for both, so
     * that a refusal reveals nothing.
     */
    public static ApiError nothingHere() {
        return notFound("not_found", "There is nothing at this address.");
    }

    /** A 400 that names the request field at fault. */
    public static ApiError invalidField(String field, String detail) {
        return badRequest("invalid_field", detail).with("field", field);
    }

    /** The same error, telling the client when it may try again (sent as {@code Retry-After}). */
    public ApiError retryAfter(Duration delay) {
        return new ApiError(status, code, getMessage(), delay, extensions.copy());
    }

    /** The same error with one more member in the problem document. */
    public ApiError with(String member, Object value) {
        return new ApiError(status, code, getMessage(), retryAfter, extensions.copy().put(member, value));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public JsonObject extensions() {
        return extensions.copy();
    }
}

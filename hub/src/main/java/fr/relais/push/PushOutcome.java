package fr.relais.push;

import java.time.Duration;
import java.util.Optional;

/**
 * What a push service made of one message: {@code SENT} (2xx), {@code GONE} (404 or 410: the subscription
 * expired or was unsubscribed, and was deleted), {@code RETRY} (429, 5xx, a network failure or no answer in time;
 * {@code retryAfter} when the service said how long to wait) or {@code REJECTED} (any other answer, or an endpoint
 * that no longer passes the checks: sending it again will not help). {@code reason} is for logs: a status or an
 * error's kind, never the endpoint.
 */
public record PushOutcome(Kind kind, Optional<Duration> retryAfter, String reason) {
    public enum Kind {
        SENT, GONE, RETRY, REJECTED
    }

    public static PushOutcome sent() {
        return new PushOutcome(Kind.SENT, Optional.empty(), "accepted");
    }

    public static PushOutcome gone(String reason) {
        return new PushOutcome(Kind.GONE, Optional.empty(), reason);
    }

    public static PushOutcome retry(Optional<Duration> after, String reason) {
        return new PushOutcome(Kind.RETRY, after, reason);
    }

    public static PushOutcome rejected(String reason) {
        return new PushOutcome(Kind.REJECTED, Optional.empty(), reason);
    }
}

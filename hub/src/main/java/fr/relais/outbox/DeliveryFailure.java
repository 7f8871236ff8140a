package fr.relais.outbox;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a transport could not hand an item over, as the dispatcher needs to know it: {@link Kind#TEMPORARY} (tried
 * again later, after {@code retryAfter} if the receiver said so), {@link Kind#PERMANENT} (dead letter), or
 * {@link Kind#GONE} (the address no longer exists, such as an expired push subscription: nothing to retry, and not an
 * error either).
 */
public final class DeliveryFailure extends RuntimeException {
    public enum Kind { TEMPORARY, PERMANENT, GONE }

    private final Kind kind;
    private final Duration retryAfter;

    public DeliveryFailure(Kind kind, String reason, Duration retryAfter) {
        super(reason, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public static DeliveryFailure temporary(String reason) {
        return new DeliveryFailure(Kind.TEMPORARY, reason, null);
    }

    public static DeliveryFailure permanent(String reason) {
        return new DeliveryFailure(Kind.PERMANENT, reason, null);
    }

    public static DeliveryFailure gone(String reason) {
        return new DeliveryFailure(Kind.GONE, reason, null);
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

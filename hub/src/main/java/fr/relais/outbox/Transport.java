package fr.relais.outbox;

import io.vertx.core.Future;

/** Hands one item of one channel to what carries it (an SMTP server, an SMS provider, a push service). */
public interface Transport {

    /**
     * Completes once the item was handed over; fails with a {@link DeliveryFailure} that says whether trying again can
     * help, or with the transport's own error (see {@link #permanent}).
     */
    Future<Void> send(Delivery delivery);

    /** Whether a failure other than a {@link DeliveryFailure} will fail again however often it is retried. */
    default boolean permanent(Throwable failure) {
        return false;
    }

    default Future<Void> close() {
        return Future.succeededFuture();
    }
}

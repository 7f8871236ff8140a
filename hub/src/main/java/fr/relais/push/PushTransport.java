package fr.relais.push;

import fr.relais.outbox.Delivery;
import fr.relais.outbox.DeliveryFailure;
import fr.relais.outbox.Transport;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * The push channel of the outbox: an item's address is the id of one device's subscription, its content the
 * count-only payload. Every push carries the same topic, so that a push service holding an undelivered one for an
 * offline device replaces it with the newer count instead of piling them up. A subscription the push service says is
 * gone (404, 410) was deleted by the sender; the item is skipped, not dead.
 */
public final class PushTransport implements Transport {
    static final String TOPIC = "counts";

    private final WebPushSender sender;

    public PushTransport(WebPushSender sender) {
        this.sender = sender;
    }

    @Override
    public Future<Void> send(Delivery delivery) {
        return sender.send(UUID.fromString(delivery.address()), delivery.content(), TOPIC).compose(outcome -> switch (outcome.kind()) {
            case SENT -> Future.<Void>succeededFuture();
            case GONE -> Future.failedFuture(DeliveryFailure.gone(outcome.reason()));
            case RETRY -> Future.failedFuture(new DeliveryFailure(DeliveryFailure.Kind.TEMPORARY, outcome.reason(),
                    outcome.retryAfter().orElse(null)));
            case REJECTED -> Future.failedFuture(DeliveryFailure.permanent(outcome.reason()));
        });
    }
}

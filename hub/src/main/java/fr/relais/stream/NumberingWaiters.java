package fr.relais.stream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The writes of this node waiting for their events' offsets, by outbox id. Whichever node numbered an event
 * publishes it with its outbox id; this node's consumer of those publications completes the waiter. An event may
 * be published before its writer heard its outbox id back (another node's sequencer runs right after the commit),
 * so while an id is on its way ({@link #expectIds}) publications are kept for a moment, and whichever of the
 * writer and the consumer comes second finds the other's entry.
 */
final class NumberingWaiters {
    /** A waiter not told by then fails (its event may still be numbered, later or by another node). */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int KEPT_EARLY = 10_000;

    private final Map<Long, Promise<StreamEvent>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger idsOnTheirWay = new AtomicInteger();
    private final Map<Long, Message<String>> numberedEarly = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Message<String>> eldest) {
            return size() > KEPT_EARLY;
        }
    });
    private MessageConsumer<String> consumer;

    void start(Vertx vertx) {
        consumer = vertx.eventBus().consumer(Streams.ADDRESS, this::published);
    }

    Future<Void> stop() {
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }

    /** Outbox ids are about to come back from the database: keep what is published until {@link #await} or {@link #lost}. */
    void expectIds() {
        idsOnTheirWay.incrementAndGet();
    }

    /** The ids came back: one future per event, completed once it is numbered. */
    void await(List<Long> outboxIds, List<Future<StreamEvent>> numbers) {
        try {
            for (long id : outboxIds) {
                numbers.add(await(id));
            }
        } finally {
            idsOnTheirWay.decrementAndGet();
        }
    }

    /** The ids will not come back (the write failed). */
    void lost() {
        idsOnTheirWay.decrementAndGet();
    }

    /** Stops waiting for these (their transaction rolled back). */
    void forget(Collection<Long> outboxIds) {
        outboxIds.forEach(waiting::remove);
    }

    private Future<StreamEvent> await(long outboxId) {
        Promise<StreamEvent> promise = Promise.promise();
        waiting.put(outboxId, promise); // written first, then checked
        Message<String> early = numberedEarly.remove(outboxId);
        if (early != null) {
            waiting.remove(outboxId);
            promise.tryComplete(eventOf(early));
        }
        return promise.future().timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .onFailure(late -> waiting.remove(outboxId));
    }

    private void published(Message<String> message) {
        String outboxId = message.headers().get("outbox");
        // the count first: a writer adds its waiter before it lowers the count, so a count of 0 read here means
        // every waiter registered so far is in the map
        if (outboxId == null || idsOnTheirWay.get() == 0 && waiting.isEmpty()) {
            return;
        }
        long id = Long.parseLong(outboxId);
        if (idsOnTheirWay.get() > 0) {
            numberedEarly.put(id, message);
        }
        Promise<StreamEvent> waiter = waiting.remove(id);
        if (waiter != null) {
            numberedEarly.remove(id);
            waiter.tryComplete(eventOf(message));
        }
    }

    private static StreamEvent eventOf(Message<String> published) {
        JsonObject frame = new JsonObject(published.body());
        return new StreamEvent(UUID.fromString(published.headers().get("recipient")), frame.getString("epoch"),
                frame.getLong("offset"), frame.getString("type"), frame.getJsonObject("data"),
                Instant.parse(frame.getString("time")));
    }
}

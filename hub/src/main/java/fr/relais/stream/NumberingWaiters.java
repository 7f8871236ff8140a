package fr.relais.stream;

import fr.relais.memory.RecentlyUsed;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The writes of this node waiting for their events' offsets, by outbox id. Whichever node numbered an event
 * publishes it with its outbox id; this node's consumer of those publications completes the waiter. An event may
 * be published before its writer heard its outbox id back (another node's sequencer runs right after the commit),
 * so while an id is on its way ({@link #expectIds}) publications are kept for a moment, and whichever of the
 * writer and the consumer comes second finds the other's entry.
 *
 * <p>A waiter registers once its write committed. A publication can still miss it (a node left the cluster as it
 * published, or nodes share a database without being clustered), so waiters not told within {@link #ASK_AFTER} ask
 * the database, oldest first, once per {@link #ASK_AFTER}: a committed event that left the outbox was numbered. A
 * batch commits before it publishes, so an event found gone is taken as numbered only if it is still untold at the
 * next ask, by when its publication, if there was one, has come.
 */
final class NumberingWaiters {
    /** A waiter not told by then fails (its event may still be numbered, later or by another node). */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How long a waiter waits for a publication before the database is asked whether its event was numbered. */
    static final Duration ASK_AFTER = Duration.ofSeconds(1);
    private static final int KEPT_EARLY = 10_000;
    private static final int ASKED_AT_ONCE = 1000;

    private static final class Waiter {
        final Promise<StreamEvent> promise;
        final long since;
        /** Its event was found gone from the outbox at the last ask. */
        volatile boolean seenGone;

        Waiter(Promise<StreamEvent> promise, long since) {
            this.promise = promise;
            this.since = since;
        }
    }

    private final Map<Long, Waiter> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger idsOnTheirWay = new AtomicInteger();
    private final RecentlyUsed<Long, Message<String>> numberedEarly = new RecentlyUsed<>(KEPT_EARLY);
    private MessageConsumer<String> consumer;
    private Vertx vertx;
    private long askTimer = -1;
    private final AtomicBoolean asking = new AtomicBoolean();

    /** {@code stillInOutbox} answers which of the given outbox ids are not numbered yet. */
    void start(Vertx vertx, Function<List<Long>, Future<Set<Long>>> stillInOutbox) {
        this.vertx = vertx;
        consumer = vertx.eventBus().consumer(Streams.ADDRESS, this::published);
        askTimer = vertx.setPeriodic(ASK_AFTER.toMillis(), tick -> askAboutTheUntold(stillInOutbox));
    }

    Future<Void> stop() {
        if (askTimer >= 0) {
            vertx.cancelTimer(askTimer);
        }
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }

    /** Outbox ids are about to come back from the database: keep what is published until {@link #await} or {@link #lost}. */
    void expectIds() {
        idsOnTheirWay.incrementAndGet();
    }

    /**
     * The write committed with these events: one future per event, completed with the event once it is numbered,
     * or with {@code null} if it was numbered by a node whose publication did not reach this one.
     */
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

    private Future<StreamEvent> await(long outboxId) {
        Promise<StreamEvent> promise = Promise.promise();
        waiting.put(outboxId, new Waiter(promise, System.nanoTime())); // written first, then checked
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
        Waiter waiter = waiting.remove(id);
        if (waiter != null) {
            numberedEarly.remove(id);
            waiter.promise.tryComplete(eventOf(message));
        }
    }

    private void askAboutTheUntold(Function<List<Long>, Future<Set<Long>>> stillInOutbox) {
        if (waiting.isEmpty() || !asking.compareAndSet(false, true)) {
            return;
        }
        long before = System.nanoTime() - ASK_AFTER.toNanos();
        List<Long> untold = waiting.entrySet().stream().filter(waiter -> waiter.getValue().since - before < 0)
                .sorted(Comparator.comparingLong(waiter -> waiter.getValue().since))
                .map(Map.Entry::getKey).limit(ASKED_AT_ONCE).toList();
        if (untold.isEmpty()) {
            asking.set(false);
            return;
        }
        Future<Set<Long>> asked;
        try {
            asked = stillInOutbox.apply(untold);
        } catch (RuntimeException failed) {
            asked = Future.failedFuture(failed);
        }
        asked.onComplete(notNumbered -> {
            if (notNumbered.failed()) {
                asking.set(false);
                return; // asked again at the next tick
            }
            for (long id : untold) {
                Waiter waiter = waiting.get(id);
                if (waiter == null) {
                    continue; // told meanwhile
                }
                boolean gone = !notNumbered.result().contains(id);
                if (gone && waiter.seenGone && waiting.remove(id, waiter)) {
                    waiter.promise.tryComplete(null);
                }
                waiter.seenGone = gone;
            }
            asking.set(false); // after the marks: the next ask reads them
        });
    }

    private static StreamEvent eventOf(Message<String> published) {
        JsonObject frame = new JsonObject(published.body());
        return new StreamEvent(UUID.fromString(published.headers().get("recipient")), frame.getString("epoch"),
                frame.getLong("offset"), frame.getString("type"), frame.getJsonObject("data"),
                Instant.parse(frame.getString("time")));
    }
}

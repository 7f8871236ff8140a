package fr.relais.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import fr.relais.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Another node's sequencer may number and publish a write's events before the writer has read their outbox ids
 * back: the writer must still be told at once, not after the timeout.
 */
class NumberingWaitersTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final Duration ASKS = Duration.ofSeconds(15);
    private Vertx vertx;
    private NumberingWaiters waiters;

    private final AtomicInteger asked = new AtomicInteger();
    /** The fake outbox: once set, every event has left it (numbered). */
    private volatile boolean numbered;
    /** The number of the first ask that found the events gone (0 before). */
    private final AtomicInteger firstGoneAsk = new AtomicInteger();
    /** Run by that ask, on the event loop, before it is answered. */
    private volatile Runnable atFirstGoneAsk = () -> { };
    /** The waiter watched, and whether it was answered when the ask after the first gone one began. */
    private volatile Future<StreamEvent> watched;
    private volatile Boolean answeredBeforeTheSecondGoneAsk;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)); // one loop: its tasks run in order
        waiters = new NumberingWaiters();
        waiters.start(vertx, ids -> {
            int ask = asked.incrementAndGet();
            if (!numbered) {
                return Future.succeededFuture(Set.copyOf(ids));
            }
            if (firstGoneAsk.compareAndSet(0, ask)) {
                atFirstGoneAsk.run();
            } else if (ask == firstGoneAsk.get() + 1) {
                answeredBeforeTheSecondGoneAsk = watched.isComplete();
            }
            return Future.succeededFuture(Set.of());
        });
    }

    @AfterEach
    void stop() {
        waiters.stop().await();
        vertx.close().await();
    }

    @Test
    void anEventPublishedBeforeItsWriterReadItsIdCompletesTheWaiterAtOnce() throws Exception {
        waiters.expectIds();
        UUID recipient = UUID.randomUUID();
        publish(41, recipient, 7);
        publish(42, recipient, 8);
        awaitDelivered();

        List<Future<StreamEvent>> numbers = new ArrayList<>();
        waiters.await(List.of(41L, 42L), numbers);
        assertEquals(List.of(7L, 8L), List.of(numbers.get(0).toCompletionStage().toCompletableFuture().get(PROMPTLY.toSeconds(), TimeUnit.SECONDS).offset(),
                numbers.get(1).toCompletionStage().toCompletableFuture().get(PROMPTLY.toSeconds(), TimeUnit.SECONDS).offset()));
    }

    @Test
    void anEventPublishedAfterTheWriterRegisteredCompletesItToo() throws Exception {
        UUID recipient = UUID.randomUUID();
        waiters.expectIds();
        List<Future<StreamEvent>> numbers = new ArrayList<>();
        waiters.await(List.of(43L), numbers);
        assertFalse(numbers.get(0).isComplete(), "not numbered yet");
        publish(43, recipient, 1);
        assertEquals(1L, numbers.get(0).toCompletionStage().toCompletableFuture().get(PROMPTLY.toSeconds(), TimeUnit.SECONDS).offset());
    }

    @Test
    void aWaiterNobodyTellsIsAnsweredOnlyOnceItsEventWasSeenGoneFromTheOutboxAtTwoAsks() throws Exception {
        watched = committedWrite(44);
        Eventually.await("two asks", ASKS, asked::get, n -> n >= 2);
        assertFalse(watched.isComplete(), "still in the outbox: not numbered, no answer");

        numbered = true; // by a node whose publication never comes
        assertNull(watched.toCompletionStage().toCompletableFuture().get(ASKS.toSeconds(), TimeUnit.SECONDS),
                "numbered, by a node that did not say with what offset");
        assertEquals(false, answeredBeforeTheSecondGoneAsk, "not answered by the first ask that found it gone");
    }

    @Test
    void aWaiterFoundGoneOnceIsToldByItsPublicationIfItComesBeforeTheNextAsk() throws Exception {
        watched = committedWrite(45);
        atFirstGoneAsk = () -> publish(45, UUID.randomUUID(), 9); // late, but there before the next ask
        numbered = true;
        assertEquals(9L, watched.toCompletionStage().toCompletableFuture().get(ASKS.toSeconds(), TimeUnit.SECONDS).offset(),
                "told by the publication, with the offset");
    }

    /** The waiter of a committed write with one event, of this outbox id. */
    private Future<StreamEvent> committedWrite(long outboxId) {
        waiters.expectIds();
        List<Future<StreamEvent>> numbers = new ArrayList<>();
        waiters.await(List.of(outboxId), numbers);
        return numbers.get(0);
    }

    private void publish(long outboxId, UUID recipient, long offset) {
        String frame = new JsonObject().put("type", "message.created").put("epoch", "e").put("offset", offset)
                .put("time", "2026-11-28T10:00:00Z").put("data", new JsonObject()).encode();
        vertx.eventBus().publish(Streams.ADDRESS, frame, new DeliveryOptions().addHeader("recipient", recipient.toString())
                .addHeader("outbox", Long.toString(outboxId)));
    }

    /** Returns once the publications were handled: on the one event loop, the reply to this request comes after them. */
    private void awaitDelivered() {
        vertx.eventBus().consumer("numbering-waiters-test.ping", message -> message.reply("pong"));
        vertx.eventBus().request("numbering-waiters-test.ping", "ping").await();
    }
}

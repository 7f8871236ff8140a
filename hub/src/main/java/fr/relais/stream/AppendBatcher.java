package fr.relais.stream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for stand-alone appends: appends that arrive while earlier ones are committing wait and are
 * written together, up to {@value #MAX_BATCH} per transaction (one outbox statement), one transaction at a time
 * (the batch grows while the previous one commits), so each recipient's events keep the order of the calls. If
 * a batch fails, its appends are retried one by one before the next batch, so that one bad append cannot fail
 * the others.
 */
final class AppendBatcher {
    static final int MAX_BATCH = 256;
    /** One batch at a time: a later batch could otherwise commit first and reorder a recipient's events. */
    static final int MAX_IN_FLIGHT = 1;

    private record Request(UUID recipient, String type, JsonObject data, Promise<StreamEvent> promise) {
    }

    private final Streams streams;
    private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    AppendBatcher(Streams streams) {
        this.streams = streams;
    }

    Future<StreamEvent> append(UUID recipient, String type, JsonObject data) {
        Promise<StreamEvent> promise = Promise.promise();
        queue.add(new Request(recipient, type, data, promise));
        drain();
        return promise.future();
    }

    private void drain() {
        while (!queue.isEmpty()) {
            int running = inFlight.get();
            if (running >= MAX_IN_FLIGHT) {
                return; // a finishing batch drains again
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Request> batch = new ArrayList<>();
            Request next;
            while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                return;
            }
            commit(batch).onComplete(done -> {
                inFlight.decrementAndGet();
                drain();
            });
        }
    }

    private Future<Void> commit(List<Request> batch) {
        List<Future<StreamEvent>> numbers = new ArrayList<>(batch.size());
        return streams.withTransaction(tx -> {
            List<Future<Void>> appends = new ArrayList<>(batch.size());
            for (Request request : batch) {
                appends.add(tx.append(request.recipient(), request.type(), request.data()));
            }
            return Future.all(appends);
        }, numbers).<Void>map(v -> {
            for (int i = 0; i < batch.size(); i++) {
                tell(batch.get(i).promise(), numbers.get(i));
            }
            return null;
        }).recover(failure -> {
            Future<Void> oneByOne = Future.succeededFuture();
            for (Request request : batch) {
                oneByOne = oneByOne.eventually(() -> {
                    List<Future<StreamEvent>> number = new ArrayList<>(1);
                    return streams.withTransaction(tx -> tx.append(request.recipient(), request.type(), request.data()), number)
                            .onComplete(result -> {
                                if (result.succeeded()) {
                                    tell(request.promise(), number.get(0));
                                } else {
                                    request.promise().tryFail(result.cause());
                                }
                            });
                });
            }
            return oneByOne;
        });
    }

    private static void tell(Promise<StreamEvent> append, Future<StreamEvent> numbered) {
        numbered.onComplete(event -> {
            if (event == null) {
                append.tryFail(new IllegalStateException("numbered by a node that does not publish to this one: its offset is unknown here"));
            } else {
                append.tryComplete(event);
            }
        }, append::tryFail);
    }
}

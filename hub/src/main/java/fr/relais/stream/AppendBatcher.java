package fr.relais.stream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for stand-alone appends: appends that arrive while earlier ones are committing wait and are
 * committed together, up to {@value #MAX_BATCH} per transaction, one transaction at a time (the batch grows while
 * the previous one commits). One commit (one fsync) then serves many events, and each recipient's events keep
 * the order of the calls. Within a batch the statements are pipelined on one connection, sorted by recipient
 * (stably) so that batches on several nodes lock stream heads in the same order. If a batch fails, its appends
 * are retried one by one before the next batch, so that one bad append cannot fail the others.
 */
final class AppendBatcher {
    static final int MAX_BATCH = 256;
    /** One batch at a time: a later batch could otherwise take a recipient's lock first and reorder its events. */
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
            batch.sort(Comparator.comparing(Request::recipient, StreamTransaction.LOCK_ORDER)); // stable: one recipient keeps its order
            commit(batch).onComplete(done -> {
                inFlight.decrementAndGet();
                drain();
            });
        }
    }

    private Future<Void> commit(List<Request> batch) {
        return streams.withTransaction(tx -> {
            List<Future<StreamEvent>> appends = new ArrayList<>(batch.size());
            for (Request request : batch) {
                appends.add(tx.append(request.recipient(), request.type(), request.data())); // pipelined
            }
            return Future.all(appends).map(all -> appends);
        }).map(appends -> {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).promise().tryComplete(appends.get(i).result());
            }
            return (Void) null;
        }).recover(failure -> {
            Future<Void> oneByOne = Future.succeededFuture();
            for (Request request : batch) {
                oneByOne = oneByOne.eventually(() -> streams.withTransaction(tx -> tx.append(request.recipient(), request.type(),
                        request.data())).onComplete(result -> {
                            if (result.succeeded()) {
                                request.promise().tryComplete(result.result());
                            } else {
                                request.promise().tryFail(result.cause());
                            }
                        }));
            }
            return oneByOne;
        });
    }
}

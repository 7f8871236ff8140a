package fr.relais.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One patient's raw socket, as a client written from the docs would hold it: it subscribes with its cursor, and
 * after any close it connects again (to the other node if its own is gone) and resubscribes from where it is.
 * Unlike the SDK it drops nothing: every event frame is checked against the connection's cursor, so a repeated
 * offset counts as a duplicate and a skipped one as a silent loss. An offset range the hub says it cannot replay
 * ({@code recovered:false}) counts as told. Confined to one Vert.x context; the figures are read after it stops.
 */
final class FaultReader {
    final int patient;
    private final Context context;
    private final WebSocketClient client;
    private final String token;
    private final List<Integer> ports;

    private int node;
    private WebSocket socket;
    private boolean wanted = true;
    private String epoch;
    private long last = -1;            // the connection's cursor: the last offset delivered on it
    private long first = -1;           // the offset the reader started after
    private long rewindTo = -1;        // resubscribe from here next time (a replay from far behind)
    private long subscribedAt = -1;    // the head "subscribed" reported on the current connection
    private Promise<Void> subscribed = Promise.promise();

    final BitSet covered = new BitSet();  // offsets delivered, or said to be lost (told)
    final Set<String> messageIds = new HashSet<>();
    final Map<Integer, Integer> closes = new TreeMap<>();
    final Map<String, Integer> errors = new TreeMap<>();
    long frames;
    long replayed;                     // frames of offsets this reader had before, asked for again on purpose
    long duplicates;
    long silentlySkipped;
    long told;
    long subscribedBehind;             // "subscribed" (recovered) arrived before the cursor reached the head it announced
    long reconnects;
    private long highest = -1;

    FaultReader(Vertx vertx, WebSocketClient client, int patient, String token, List<Integer> ports) {
        this.context = vertx.getOrCreateContext(); // every handler of this reader runs here, one at a time
        this.client = client;
        this.patient = patient;
        this.token = token;
        this.ports = ports;
        this.node = patient % ports.size();
    }

    /** Connects and subscribes; completes at the first {@code subscribed}. */
    Future<Void> start() {
        context.runOnContext(v -> connect());
        return subscribed.future();
    }

    /** Drops the connection and subscribes again from {@code back} events before the cursor. */
    void rewind(long back) {
        context.runOnContext(v -> {
            if (socket != null && last > 0) {
                rewindTo = Math.max(0, last - back);
                socket.close();
            }
        });
    }

    /** Resubscribes from the cursor and completes when the hub says it is caught up (the final check). */
    Future<Void> resync() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            subscribed = done;
            if (socket != null) {
                socket.close();
            } // else a reconnection is already on its way, and it will subscribe
        });
        return done.future();
    }

    Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            wanted = false;
            (socket == null ? Future.<Void>succeededFuture() : socket.close()).onComplete(x -> done.complete());
        });
        return done.future();
    }

    long last() {
        return last;
    }

    long first() {
        return first;
    }

    long highest() {
        return highest;
    }

    private void connect() {
        if (!wanted) {
            return;
        }
        int port = ports.get(node);
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/v1/ws")
                        .addHeader("Authorization", "Bearer " + token))
                .onSuccess(this::opened)
                .onFailure(e -> {
                    node = (node + 1) % ports.size();
                    context.owner().setTimer(200, t -> connect());
                });
    }

    private void opened(WebSocket ws) {
        socket = ws;
        subscribedAt = -1;
        JsonObject subscribe = new JsonObject().put("type", "subscribe");
        if (epoch != null) {
            if (rewindTo >= 0) {
                last = rewindTo;
                rewindTo = -1;
            }
            subscribe.put("cursor", new JsonObject().put("epoch", epoch).put("offset", last));
        }
        ws.textMessageHandler(this::onFrame);
        ws.exceptionHandler(e -> { });
        ws.closeHandler(v -> closed(ws));
        ws.writeTextMessage(subscribe.encode());
    }

    private void closed(WebSocket ws) {
        if (ws != socket) {
            return;
        }
        socket = null;
        Short code = ws.closeStatusCode();
        closes.merge(code == null ? 1006 : (int) code, 1, Integer::sum);
        if (wanted) {
            reconnects++;
            context.owner().setTimer(100, t -> connect());
        }
    }

    private void onFrame(String text) {
        JsonObject frame = new JsonObject(text);
        String type = frame.getString("type");
        switch (type) {
            case "subscribed" -> onSubscribed(frame);
            case "error" -> errors.merge(String.valueOf(frame.getString("code")), 1, Integer::sum);
            default -> {
                if (type.contains(".")) {
                    onEvent(frame);
                }
            }
        }
    }

    private void onSubscribed(JsonObject frame) {
        long head = frame.getLong("offset");
        boolean recovered = Boolean.TRUE.equals(frame.getBoolean("recovered"));
        if (epoch == null) {
            epoch = frame.getString("epoch");
            first = head;
            last = head;
            highest = head;
        } else if (!recovered) {
            told += Math.max(0, head - last);
            cover(last + 1, head);
            last = head;
        } else if (last != head) {
            subscribedBehind++;
        }
        subscribedAt = head;
        subscribed.tryComplete();
    }

    private void onEvent(JsonObject frame) {
        frames++;
        long offset = frame.getLong("offset");
        if (offset <= last) {
            duplicates++;
            return;
        }
        if (offset != last + 1) {
            silentlySkipped += offset - last - 1;
        }
        if (offset <= highest) {
            replayed++;
        }
        covered.set((int) offset);
        last = offset;
        highest = Math.max(highest, offset);
        if ("message.created".equals(frame.getString("type"))) {
            messageIds.add(frame.getJsonObject("data").getString("messageId"));
        }
    }

    private void cover(long from, long to) {
        if (to >= from) {
            covered.set((int) from, (int) to + 1);
        }
    }

    /** Offsets after the start up to the cursor that were neither delivered nor said to be lost. */
    long uncovered() {
        long missing = 0;
        for (long o = first + 1; o <= last; o++) {
            if (!covered.get((int) o)) {
                missing++;
            }
        }
        return missing;
    }
}

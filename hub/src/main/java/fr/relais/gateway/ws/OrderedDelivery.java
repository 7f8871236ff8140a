package fr.relais.gateway.ws;

import fr.relais.stream.StreamEvent;
import fr.relais.stream.StreamPosition;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one subscribed socket, each exactly once and in offset order: a live event is written when it
 * extends what was delivered, a gap is read back from the database first, duplicates are dropped. A
 * subscription from a cursor replays what was missed (in pages, waiting for the client to drain between them)
 * and then says {@code subscribed}. Events it must read back but that the trimmer removed first are never
 * skipped silently: the socket is closed with {@link CloseCodes#STREAM_RESET}. Confined to the socket's event loop,
 * like its {@link Connection}.
 */
final class OrderedDelivery {
    private static final Logger log = LoggerFactory.getLogger(OrderedDelivery.class);
    private static final int MAX_PENDING_LIVE = 10_000;

    private record Pending(String frame, long committedAt) {
    }

    private final Connection connection;
    private final Transport transport;
    private final SocketContext ctx;
    private final UUID recipient;
    private final BiFunction<String, String, String> view;
    private final TreeMap<Long, Pending> pending = new TreeMap<>();

    private boolean positioned;      // the stream position is known: live events may flow
    private boolean catchingUp;
    private String epoch;
    private long delivered;
    private Long announceAt;         // send "subscribed" once delivery reaches this offset
    private boolean recovered;

    /**
     * {@code view} gives the frame to send for an event (type, frame), or null for an event this socket is not to
     * see (a catalogue app sees some of its patient's events): null sends every event as it is.
     */
    OrderedDelivery(Connection connection, Transport transport, SocketContext ctx, UUID recipient,
                    BiFunction<String, String, String> view) {
        this.connection = connection;
        this.transport = transport;
        this.ctx = ctx;
        this.recipient = recipient;
        this.view = view;
    }

    long delivered() {
        return delivered;
    }

    String epoch() {
        return epoch;
    }

    /** The stream's position is read: deliver from the cursor (or from the head), then live. */
    void start(StreamPosition position, JsonObject cursor) {
        positioned = true;
        epoch = position.epoch();
        if (cursor == null) {
            delivered = position.head();
            recovered = true;
        } else {
            String clientEpoch = cursor.getString("epoch");
            long offset = cursor.getLong("offset");
            boolean emptyStream = position.head() == 0 && position.epoch().isEmpty();
            recovered = emptyStream ? offset == 0 : position.canRecoverFrom(clientEpoch, offset);
            delivered = recovered ? (emptyStream ? 0 : offset) : position.head();
        }
        announceAt = position.head();
        if (delivered < position.head()) {
            catchUp(position.head());
        } else {
            announce();
            pump();
        }
    }

    /** A committed event of this socket's principal, from the event bus. */
    void onLive(String eventEpoch, long offset, String frame, long committedAt) {
        if (!positioned) {
            pending.put(offset, new Pending(frame, committedAt)); // sorted out once the position is read
            return;
        }
        if (epoch == null || epoch.isEmpty()) {
            epoch = eventEpoch; // the stream was created after we subscribed
        } else if (!epoch.equals(eventEpoch)) {
            connection.send(Frames.error(null, "stream_reset", "The event history was reset; subscribe again without a cursor."));
            connection.close(CloseCodes.STREAM_RESET, "stream reset");
            return;
        }
        pending.put(offset, new Pending(frame, committedAt));
        if (pending.size() > MAX_PENDING_LIVE) {
            connection.slowConsumer();
            return;
        }
        pump();
    }

    void clear() {
        pending.clear();
    }

    private void announce() {
        if (announceAt != null && delivered >= announceAt) {
            announceAt = null;
            connection.send(Frames.subscribed(epoch, delivered, recovered));
        }
    }

    private void pump() {
        while (positioned && !catchingUp && !connection.isClosed() && !pending.isEmpty()) {
            Map.Entry<Long, Pending> first = pending.firstEntry();
            long offset = first.getKey();
            if (offset <= delivered) {
                pending.pollFirstEntry();
            } else if (offset == delivered + 1) {
                pending.pollFirstEntry();
                if (transport.full()) {
                    connection.slowConsumer();
                    return;
                }
                write(first.getValue().frame(), offset, EventFrames.type(first.getValue().frame()));
                ctx.metrics().delivered(first.getValue().committedAt());
            } else {
                catchUp(offset - 1); // a gap: an event whose publication we missed; read it back first
                return;
            }
        }
    }

    private void catchUp(long target) {
        catchingUp = true;
        ctx.streams().replay(recipient, delivered, target, ctx.config().replayPageSize())
                .onSuccess(events -> {
                    if (connection.isClosed() || !writePage(events)) {
                        return;
                    }
                    if (delivered < target) {
                        afterDrain(() -> catchUp(target));
                    } else {
                        catchingUp = false;
                        announce();
                        pump();
                    }
                })
                .onFailure(failure -> {
                    log.warn("cannot replay a stream: {}", failure.getMessage());
                    connection.send(Frames.error(null, "unavailable", "The event history cannot be read now; reconnect with your cursor."));
                    connection.close((short) 1011, "database unavailable");
                });
    }

    /**
     * Writes a page read back from the database. Offsets have no gaps, so a page that does not go on from
     * {@code delivered} (empty, or starting later) means the trimmer removed events this socket had not received
     * yet: the client is told and the socket closed (it resubscribes with its cursor and learns {@code recovered:
     * false}), rather than skipping them silently or asking the database again for rows that are gone.
     */
    private boolean writePage(List<StreamEvent> events) {
        for (StreamEvent event : events) {
            if (event.offset() != delivered + 1) {
                break;
            }
            write(event.toFrame(), event.offset(), event.type());
        }
        if (events.isEmpty() || delivered != events.get(events.size() - 1).offset()) {
            eventsTrimmed();
            return false;
        }
        return true;
    }

    private void eventsTrimmed() {
        log.info("events after offset {} were trimmed before this socket received them: closing it with {}", delivered,
                CloseCodes.STREAM_RESET);
        connection.send(Frames.error(null, "events_trimmed", "Events you had not received yet were removed from the history "
                + "(retention); subscribe again with your cursor and reload by REST."));
        connection.close(CloseCodes.STREAM_RESET, "events trimmed");
    }

    /** Replays wait for the client to read what was written before the next page, within the idle timeout. */
    private void afterDrain(Runnable next) {
        if (!transport.full()) {
            next.run();
            return;
        }
        long timer = ctx.vertx().setTimer(ctx.config().idleTimeout().toMillis(), id -> connection.slowConsumer());
        transport.onDrain(() -> {
            ctx.vertx().cancelTimer(timer);
            next.run();
        });
    }

    private void write(String frame, long offset, String type) {
        String shown = view == null ? frame : view.apply(type, frame);
        if (shown != null) {
            transport.write(shown, epoch, offset, type);
            ctx.metrics().frameOut();
        }
        delivered = offset;
    }
}

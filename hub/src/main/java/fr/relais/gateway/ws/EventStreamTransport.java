package fr.relais.gateway.ws;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * A connection over Server-Sent Events ({@code GET /api/v1/events}), for clients behind proxies that do not pass
 * WebSockets: events carry {@code id: <epoch>:<offset>} so that the browser's {@code Last-Event-ID} resumes.
 */
final class EventStreamTransport implements Transport {
    private final HttpServerResponse response;

    EventStreamTransport(HttpServerResponse response, int maxOutboundBytes) {
        this.response = response;
        response.setWriteQueueMaxSize(maxOutboundBytes);
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no")
                .putHeader("Content-Encoding", "identity"); // compression would hold events back
        response.write(": relais event stream\nretry: 2000\n\n");
    }

    @Override
    public void write(String frame, String epoch, long offset, String type) {
        StringBuilder out = new StringBuilder(frame.length() + 64);
        if (offset >= 0) {
            out.append("id: ").append(epoch).append(':').append(offset).append('\n');
            out.append("event: ").append(type).append('\n');
        } else {
            out.append("event: ").append(new JsonObject(frame).getString("type", "message")).append('\n');
        }
        out.append("data: ").append(frame).append("\n\n");
        if (!response.closed()) {
            response.write(out.toString());
        }
    }

    @Override
    public boolean full() {
        return !response.closed() && response.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable next) {
        response.drainHandler(v -> {
            response.drainHandler(null);
            next.run();
        });
    }

    @Override
    public void ping() {
        if (!response.closed()) {
            response.write(": ping\n\n");
        }
    }

    @Override
    public void close(short code, String reason) {
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }

    @Override
    public boolean hearsClient() {
        return false;
    }
}

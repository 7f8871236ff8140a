package fr.relais.gateway.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/** A connection over {@code /api/v1/ws}. */
final class WebSocketTransport implements Transport {
    private final ServerWebSocket ws;

    WebSocketTransport(ServerWebSocket ws, int maxOutboundBytes) {
        this.ws = ws;
        ws.setWriteQueueMaxSize(maxOutboundBytes);
    }

    ServerWebSocket socket() {
        return ws;
    }

    @Override
    public void write(String frame, String epoch, long offset, String type) {
        if (!ws.isClosed()) { // the client may have gone before our close handler ran
            ws.writeTextMessage(frame);
        }
    }

    @Override
    public boolean full() {
        return !ws.isClosed() && ws.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable next) {
        ws.drainHandler(v -> {
            ws.drainHandler(null);
            next.run();
        });
    }

    @Override
    public void ping() {
        if (!ws.isClosed()) {
            ws.writePing(Buffer.buffer());
        }
    }

    @Override
    public void close(short code, String reason) {
        ws.close(code, reason);
    }

    @Override
    public boolean hearsClient() {
        return true;
    }
}

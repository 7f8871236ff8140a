package fr.relais.gateway.ws;

/** How a connection's frames reach the client: a WebSocket, or a Server-Sent Events response. */
interface Transport {

    /** Writes an event frame (with its offset, for transports that label events) or a control frame (offset -1). */
    void write(String frame, String epoch, long offset, String type);

    /** Whether more than the allowed outbound bytes wait for the client. */
    boolean full();

    /** Runs {@code next} once the waiting bytes have gone out. */
    void onDrain(Runnable next);

    void ping();

    void close(short code, String reason);

    /** Whether the transport hears from the client (pongs, frames), so that silence means it is gone. */
    boolean hearsClient();
}

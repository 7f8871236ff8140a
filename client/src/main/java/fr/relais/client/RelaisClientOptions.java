package fr.relais.client;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Where the hub is and how to authenticate.
 *
 * @param token        gives a valid access token each time one is needed (at every connection, and to refresh)
 * @param cursor       where to resume from at the first connection (null: only new events)
 * @param minBackoff   first wait before reconnecting; doubles up to {@code maxBackoff}, with jitter
 */
public record RelaisClientOptions(String host, int port, boolean tls, Supplier<String> token, Cursor cursor,
                                  boolean reconnect, Duration minBackoff, Duration maxBackoff) {

    public static RelaisClientOptions of(String host, int port, Supplier<String> token) {
        return new RelaisClientOptions(host, port, false, token, null, true, Duration.ofMillis(200), Duration.ofSeconds(30));
    }

    public RelaisClientOptions from(Cursor start) {
        return new RelaisClientOptions(host, port, tls, token, start, reconnect, minBackoff, maxBackoff);
    }

    public RelaisClientOptions withoutReconnect() {
        return new RelaisClientOptions(host, port, tls, token, cursor, false, minBackoff, maxBackoff);
    }
}

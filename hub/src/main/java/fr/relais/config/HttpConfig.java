package fr.relais.config;

import java.time.Duration;

/**
 * The HTTP and WebSocket listener.
 *
 * @param instances     gateway verticle instances sharing the port; 0 means one per core
 * @param maxBodySize   the largest request body accepted, in bytes; larger ones get 413
 * @param shutdownGrace how long a graceful stop waits for requests in flight
 */
public record HttpConfig(String host, int port, int instances, long maxBodySize, Duration shutdownGrace) {

    public int instancesOrCores() {
        return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
    }

    public HttpConfig withPort(int actualPort) {
        return new HttpConfig(host, actualPort, instances, maxBodySize, shutdownGrace);
    }

    static HttpConfig from(Settings s) {
        return new HttpConfig(
                s.nonBlank("http.host"),
                s.integer("http.port", 0, 65535),
                s.integer("http.instances", 0, 256),
                s.bytes("http.maxBodySize", 1024, 1L << 30),
                s.duration("http.shutdownGrace", Duration.ZERO, Duration.ofMinutes(10)));
    }
}

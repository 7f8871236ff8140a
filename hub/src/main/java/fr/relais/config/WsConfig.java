package fr.relais.config;

import java.time.Duration;

/** Limits and timings of the WebSocket endpoint. */
public record WsConfig(Duration authTimeout, Duration heartbeatInterval, Duration idleTimeout, int maxFrameSize,
                       int maxMessagesPerSecond, int maxOutboundBytes, int maxConnectionsPerPrincipal, int replayPageSize,
                       int systemMaxMessagesPerSecond, int systemCommandsInFlight) {

    static WsConfig from(Settings s) {
        return new WsConfig(
                s.duration("ws.authTimeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
                s.duration("ws.heartbeatInterval", Duration.ofSeconds(1), Duration.ofMinutes(10)),
                s.duration("ws.idleTimeout", Duration.ofSeconds(2), Duration.ofHours(1)),
                (int) s.bytes("ws.maxFrameSize", 1024, 16L << 20),
                s.integer("ws.maxMessagesPerSecond", 1, 100_000),
                (int) s.bytes("ws.maxOutboundBytes", 4096, 1L << 30),
                s.integer("ws.maxConnectionsPerPrincipal", 1, 100_000),
                s.integer("ws.replayPageSize", 1, 100_000),
                s.integer("ws.systemMaxMessagesPerSecond", 1, 1_000_000),
                s.integer("ws.systemCommandsInFlight", 1, 10_000));
    }
}

package fr.relais.gateway.ws;

import fr.relais.command.CommandRegistry;
import fr.relais.config.WsConfig;
import fr.relais.identity.Authentication;
import fr.relais.stream.Streams;
import java.time.Clock;
import java.time.Duration;

/**
 * What the node gives each gateway instance's WebSocket endpoint; the metrics and counters are node-wide.
 * {@code clockSkew} is {@code auth.clockSkew}: a socket is closed for expiry when its token would no longer pass.
 */
public record WebSocketDependencies(WsConfig config, Authentication authentication, Streams streams,
                                    CommandRegistry commands, SocketMetrics metrics, PrincipalConnections principals,
                                    Clock clock, Duration clockSkew) {
}

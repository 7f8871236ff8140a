package fr.relais.gateway.ws;

import fr.relais.command.CommandRegistry;
import fr.relais.config.WsConfig;
import fr.relais.identity.Authentication;
import fr.relais.stream.Streams;
import java.time.Clock;

/** What the node gives each gateway instance's WebSocket endpoint; the metrics and counters are node-wide. */
public record WebSocketDependencies(WsConfig config, Authentication authentication, Streams streams,
                                    CommandRegistry commands, SocketMetrics metrics, PrincipalConnections principals,
                                    Clock clock) {
}

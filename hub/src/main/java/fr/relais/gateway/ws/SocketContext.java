package fr.relais.gateway.ws;

import fr.relais.command.CommandRegistry;
import fr.relais.config.WsConfig;
import fr.relais.identity.Authentication;
import fr.relais.stream.Streams;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;

/** What every socket of one gateway instance shares. */
record SocketContext(Vertx vertx, WsConfig config, Authentication authentication, Streams streams,
                     CommandRegistry commands, SocketMetrics metrics, PrincipalConnections principals,
                     ConnectionRegistry registry, Clock clock, Duration clockSkew) {
}

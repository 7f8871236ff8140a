package fr.relais.db;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.SqlConnectionInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a database connection on which nothing has passed, either way, for {@code db.queryTimeout}: the server
 * has not answered the query sent last (it hangs, or the network dropped it without a reset). Closing fails what
 * waits on the connection with a closed-connection error (a {@link DatabaseOutage}), and the server, once it runs
 * again, rolls back whatever transaction was open on it.
 *
 * <p>The reactive client has no query timeout, and it takes the idle events of {@code NetClientOptions} for itself
 * without closing anything; so this handler is put at the head of each new connection's Netty pipeline. Reaching the
 * channel goes through the client's internal types, checked by {@code DatabaseHangTest}.
 */
final class HungConnectionGuard extends IdleStateHandler {
    private static final Logger log = LoggerFactory.getLogger(HungConnectionGuard.class);
    private static final AtomicBoolean UNAVAILABLE_REPORTED = new AtomicBoolean();

    private HungConnectionGuard(Duration silence) {
        super(0, 0, silence.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Guards a connection the pool has just opened. */
    static void install(SqlConnection connection, Duration silence) {
        try {
            var socket = ((SocketConnectionBase) ((SqlConnectionInternal) connection).unwrap().unwrap()).socket();
            socket.channelHandlerContext().pipeline().addFirst("relais-hung-connection-guard", new HungConnectionGuard(silence));
        } catch (ClassCastException | UnsupportedOperationException e) {
            if (UNAVAILABLE_REPORTED.compareAndSet(false, true)) {
                log.error("database connections cannot be guarded against a hung server with this SQL client ({}):"
                        + " a request may wait for a hung database without bound", e.toString());
            }
        }
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        log.warn("closing a database connection to {}: the server has said nothing for {} ms",
                ctx.channel().remoteAddress(), getAllIdleTimeInMillis());
        ctx.close();
    }
}

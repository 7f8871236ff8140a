package fr.relais.gateway.ws;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client socket on {@code /api/v1/ws}, served on its Netty channel directly once the upgrade is done (see
 * {@link WebSocketUpgrade}). It is both the channel's last handler and the connection's transport: no
 * per-socket message queues, no second connection object, which is most of what a Vert.x WebSocket keeps per
 * socket. Every callback runs on the gateway instance's event loop, inside its Vert.x context.
 */
final class WebSocketChannel extends ChannelInboundHandlerAdapter implements Transport {
    private static final Logger log = LoggerFactory.getLogger(WebSocketChannel.class);

    /** How long a client has to read our close frame and answer it before its connection is cut. */
    private static final long CLOSE_GRACE_MILLIS = 10_000;

    private final Channel channel;
    private final ContextInternal context;
    private boolean closing;
    private Runnable onClosed = () -> { };
    private Connection connection;
    private Runnable onDrain;

    WebSocketChannel(Channel channel, ContextInternal context, WriteBufferWaterMark outboundLimit) {
        this.channel = channel;
        this.context = context;
        channel.config().setWriteBufferWaterMark(outboundLimit);
    }

    /** {@code action} runs once the channel is closed, on the event loop. */
    void whenClosed(Runnable action) {
        this.onClosed = action;
    }

    void attach(Connection connection) {
        this.connection = connection;
    }

    // ---- from the client ----------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            if (message instanceof TextWebSocketFrame text) {
                String frame = text.text();
                context.dispatch(frame, connection::onText);
            } else if (message instanceof PingWebSocketFrame ping) {
                channel.writeAndFlush(new PongWebSocketFrame(ping.content().retain()), channel.voidPromise());
                context.dispatch(v -> connection.heard());
            } else if (message instanceof PongWebSocketFrame) {
                context.dispatch(v -> connection.heard());
            } else if (message instanceof CloseWebSocketFrame close) {
                if (closing) {
                    channel.close(); // the client answered our close: the handshake is over
                } else {
                    // the client starts the closing handshake: answer with its code, then close the TCP connection
                    channel.writeAndFlush(new CloseWebSocketFrame(true, 0, close.content().retain()))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else if (message instanceof BinaryWebSocketFrame) {
                context.dispatch(v -> connection.close(CloseCodes.PROTOCOL_ERROR, "binary frames are not part of the protocol"));
            }
            // anything else (the upgrade request's empty last content) is dropped
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && onDrain != null) {
            Runnable next = onDrain;
            onDrain = null;
            context.dispatch(v -> next.run());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onClosed.run();
        context.dispatch(v -> connection.onClosed());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            // the decoder refused a frame (over its cap: 1009; malformed: 1002) and drops what follows
            short code = (short) corrupted.closeStatus().code();
            context.dispatch(v -> connection.close(code, corrupted.closeStatus().reasonText()));
        } else if (cause instanceof TooLongFrameException) {
            context.dispatch(v -> connection.close(CloseCodes.TOO_BIG, "frame too large"));
        } else {
            log.debug("socket error: {}", cause.toString());
            channel.close();
        }
    }

    // ---- to the client ------------------------------------------------------------------------------

    @Override
    public void write(String frame, String epoch, long offset, String type) {
        if (channel.isActive()) { // the client may have gone before our inactive callback ran
            channel.writeAndFlush(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), frame)), channel.voidPromise());
        }
    }

    @Override
    public boolean full() {
        return channel.isActive() && !channel.isWritable();
    }

    @Override
    public void onDrain(Runnable next) {
        onDrain = next;
    }

    @Override
    public void ping() {
        if (channel.isActive()) {
            channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        }
    }

    /**
     * Sends the close frame, then half-closes: the client reads the frame and our end of the stream (even one still
     * sending, whose data would otherwise turn the close into a reset and lose the frame), answers, and the
     * connection closes. A client that does not answer within {@link #CLOSE_GRACE_MILLIS} is cut.
     */
    @Override
    public void close(short code, String reason) {
        if (!channel.isActive() || closing) {
            return;
        }
        closing = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(written -> {
            if (written.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean hearsClient() {
        return true;
    }
}

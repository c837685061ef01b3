package mailserver.core.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.MDC;

/**
 * Puts the session id into the SLF4J MDC while an inbound event travels through the pipeline,
 * so every log line written on its way (TLS, framing, the protocol) names the session. It is
 * the first handler, so TLS handshake errors carry the id too.
 */
final class SessionMdcHandler extends ChannelInboundHandlerAdapter {

    private final String sessionId;

    SessionMdcHandler(String sessionId) {
        this.sessionId = sessionId;
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        inSession(ctx::fireChannelRegistered);
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        inSession(ctx::fireChannelUnregistered);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        inSession(ctx::fireChannelActive);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inSession(ctx::fireChannelInactive);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inSession(() -> ctx.fireChannelRead(msg));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inSession(ctx::fireChannelReadComplete);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        inSession(() -> ctx.fireUserEventTriggered(evt));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        inSession(ctx::fireChannelWritabilityChanged);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        inSession(() -> ctx.fireExceptionCaught(cause));
    }

    private void inSession(Runnable event) {
        inSession(sessionId, event);
    }

    /** Runs {@code task} with {@code sessionId} in the MDC; also for work a connection starts outside an inbound event. */
    static void inSession(String sessionId, Runnable task) {
        // Restore rather than clear: an event of one channel may run inside another's.
        String previous = MDC.get(Connection.MDC_KEY);
        MDC.put(Connection.MDC_KEY, sessionId);
        try {
            task.run();
        } finally {
            if (previous == null) {
                MDC.remove(Connection.MDC_KEY);
            } else {
                MDC.put(Connection.MDC_KEY, previous);
            }
        }
    }
}

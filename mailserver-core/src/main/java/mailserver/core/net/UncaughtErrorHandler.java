package mailserver.core.net;

import java.io.IOException;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection: an error no protocol handler dealt with ends the
 * connection with one log line. Network trouble and failed handshakes are the client's
 * business and get no stack trace; anything else is a bug in our code and does.
 */
@ChannelHandler.Sharable
final class UncaughtErrorHandler extends ChannelInboundHandlerAdapter {

    static final UncaughtErrorHandler INSTANCE = new UncaughtErrorHandler();

    private static final Logger LOG = LoggerFactory.getLogger(UncaughtErrorHandler.class);

    private UncaughtErrorHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SSLException) {
            LOG.info("TLS failed with {}: {}", ctx.channel().remoteAddress(), root.getMessage());
        } else if (root instanceof IOException) {
            LOG.debug("connection to {} failed: {}", ctx.channel().remoteAddress(), root.getMessage());
        } else {
            LOG.warn("closing the connection to {} after an unhandled error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}

package mailserver.core.net;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a connection if its listener's limits allow, else sends the protocol's refusal line
 * and closes. The protocol's handlers never see a refused connection: no channelActive, no
 * data, no channelInactive.
 */
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimitHandler.class);

    private final ConnectionCounter counter;
    private final ProtocolHandler protocol;
    private final Connection connection;
    private boolean admitted;

    ConnectionLimitHandler(ConnectionCounter counter, ProtocolHandler protocol, Connection connection) {
        this.counter = counter;
        this.protocol = protocol;
        this.connection = connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = connection.remote().getAddress();
        Optional<ConnectionLimit> exceeded = counter.tryAcquire(address);
        if (exceeded.isEmpty()) {
            admitted = true;
            LOG.debug("connect from [{}] to {}", address.getHostAddress(), connection.listener().name());
            ctx.fireChannelActive();
            return;
        }
        LOG.info("refused connection from [{}] to {}: {} limit of {} connections reached",
                address.getHostAddress(), connection.listener().name(),
                exceeded.get() == ConnectionLimit.PER_IP ? "per-IP" : "listener", counter.limitOf(exceeded.get()));
        String line = protocol.refusalLine(connection, exceeded.get()) + "\r\n";
        ctx.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (admitted) {
            ctx.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            admitted = false;
            counter.release(connection.remote().getAddress());
            LOG.debug("disconnect from [{}]", connection.remote().getAddress().getHostAddress());
            ctx.fireChannelInactive();
        }
    }
}

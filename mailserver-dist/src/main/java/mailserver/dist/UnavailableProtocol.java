package mailserver.dist;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import mailserver.core.config.Protocol;
import mailserver.core.net.Connection;
import mailserver.core.net.ConnectionLimit;
import mailserver.core.net.ProtocolHandler;

/**
 * Stands in for a protocol whose module is not written yet: the client is told, in its own
 * protocol, that the service is temporarily unavailable, and disconnected; a retrying MTA
 * keeps the mail in its queue. Each protocol module replaces it in {@link MailServer}.
 */
final class UnavailableProtocol implements ProtocolHandler {

    private final String farewell;

    UnavailableProtocol(Protocol protocol, String hostname) {
        this.farewell = switch (protocol) {
            case SMTP -> "421 4.3.2 " + hostname + " Service not available, closing transmission channel";
            case IMAP -> "* BYE [UNAVAILABLE] IMAP service not available yet";
            case POP3 -> "-ERR [SYS/TEMP] POP3 service not available yet";
        };
    }

    @Override
    public void initChannel(Channel channel, Connection connection) {
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(Unpooled.copiedBuffer(farewell + "\r\n", StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    public String refusalLine(Connection connection, ConnectionLimit exceeded) {
        return farewell;
    }
}

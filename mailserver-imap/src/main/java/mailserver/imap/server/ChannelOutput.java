package mailserver.imap.server;

import java.io.IOException;
import java.time.Duration;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import mailserver.imap.response.ResponseOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Response bytes to the connection. A worker writing a large FETCH waits while the channel is
 * over its high-water mark, so at most that much plus one chunk is buffered per connection
 * however slowly the client reads; on the event loop it never waits.
 */
final class ChannelOutput implements ResponseOutput {

    private static final Logger log = LoggerFactory.getLogger(ChannelOutput.class);

    private final Channel channel;
    private final Duration writeTimeout;

    ChannelOutput(Channel channel, Duration writeTimeout) {
        this.channel = channel;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        if (!channel.isActive()) {
            throw new IOException("connection closed");
        }
        ChannelFuture written = channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        written.addListener(f -> {
            if (!f.isSuccess()) {
                log.info("write to {} failed: {}", channel.remoteAddress(), f.cause().toString());
            }
        });
        if (!channel.eventLoop().inEventLoop() && !channel.isWritable()) {
            if (!written.awaitUninterruptibly(writeTimeout.toMillis())) {
                channel.close();
                throw new IOException("client did not read for " + writeTimeout);
            }
            if (!written.isSuccess()) {
                throw new IOException("write failed", written.cause());
            }
        }
    }
}

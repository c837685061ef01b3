package mailserver.core.net;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A toy line protocol to drive the scaffolding: it greets with its session id, echoes lines,
 * and has one command per feature (STARTTLS, TLS?, RAW n, SLOW). It records every line it
 * receives, so tests can check what reached the protocol.
 */
final class EchoProtocol implements ProtocolHandler {

    static final Logger LOG = LoggerFactory.getLogger(EchoProtocol.class);

    final List<String> received = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    private final WorkerPool workers;

    EchoProtocol(WorkerPool workers) {
        this.workers = workers;
    }

    @Override
    public void initChannel(Channel channel, Connection connection) {
        channel.pipeline().addLast(new Session(connection));
    }

    @Override
    public String refusalLine(Connection connection, ConnectionLimit exceeded) {
        return "421 too many connections (" + exceeded + ")";
    }

    private final class Session extends ChannelInboundHandlerAdapter {
        private final Connection connection;
        private long rawLeft;
        private final StringBuilder raw = new StringBuilder();

        Session(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            LOG.info("session started");
            reply(ctx, "+OK ready " + connection.sessionId());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LineTooLong tooLong) {
                reply(ctx, "500 line too long (max " + tooLong.maxLength() + ")");
                return;
            }
            ByteBuf bytes = (ByteBuf) msg;
            String text = bytes.toString(StandardCharsets.US_ASCII);
            bytes.release();
            if (rawLeft > 0) {
                raw.append(text);
                rawLeft -= text.length();
                if (rawLeft == 0) {
                    reply(ctx, "GOT " + raw.toString().replace("\r\n", "|"));
                    raw.setLength(0);
                }
                return;
            }
            received.add(text);
            LOG.info("line: {}", text.strip());
            String command = text.strip();
            if (command.equals("STARTTLS")) {
                connection.startTls(ascii("+OK go ahead\r\n"));
            } else if (command.equals("TLS?")) {
                reply(ctx, connection.tlsSession().map(s -> "TLS yes " + s.getProtocol()).orElse("TLS no"));
            } else if (command.startsWith("RAW ")) {
                rawLeft = Long.parseLong(command.substring(4));
                connection.readRawBytes(rawLeft);
            } else if (command.equals("SLOW")) {
                connection.suspendInput();
                workers.execute(ctx.channel(), () -> {
                    LOG.info("working in the pool");
                    return MDC.get(Connection.MDC_KEY);
                }, (sessionInWorker, failure) -> {
                    String where = ctx.channel().eventLoop().inEventLoop() ? "on-loop" : "elsewhere";
                    reply(ctx, "DONE " + sessionInWorker + " " + where + " " + MDC.get(Connection.MDC_KEY));
                    connection.resumeInput();
                });
            } else {
                ctx.writeAndFlush(ascii(text));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(String.valueOf(evt));
            if (evt == ServerEvent.SHUTTING_DOWN) {
                reply(ctx, "421 shutting down"); // and deliberately stays open: the grace period must end it
            }
            ctx.fireUserEventTriggered(evt);
        }

        private void reply(ChannelHandlerContext ctx, String line) {
            ctx.writeAndFlush(ascii(line + "\r\n"));
        }
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}

package mailserver.smtp.outbound;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import mailserver.core.config.OutboundConfig;

/**
 * One SMTP client connection: commands out, replies back as futures completed on the
 * connection's event loop, in the order the commands were written. Methods may be called from
 * any thread; the work runs on the event loop.
 */
final class ClientConnection {

    /** Far above RFC 5321's 512 octets, as real servers send longer lines. */
    static final int MAX_REPLY_LINE = 8192;

    private final Channel channel;
    private final Hop hop;
    private final ReplyReader replies;
    private Capabilities capabilities = Capabilities.NONE;
    private boolean encrypted;

    private ClientConnection(Channel channel, Hop hop, ReplyReader replies, boolean encrypted) {
        this.channel = channel;
        this.hop = hop;
        this.replies = replies;
        this.encrypted = encrypted;
    }

    /**
     * Connects and waits for the greeting. The future fails with the connect error; the
     * greeting (any code) is the second future, completed later.
     */
    static CompletableFuture<ClientConnection> connect(Bootstrap bootstrap, Hop hop, SslContext tls,
                                                       OutboundConfig.Timeouts timeouts,
                                                       CompletableFuture<RemoteReply> greeting) {
        boolean implicitTls = hop.tls() == OutboundConfig.TlsPolicy.IMPLICIT;
        ReplyReader replies = new ReplyReader(greeting, timeouts.helo());
        CompletableFuture<ClientConnection> connected = new CompletableFuture<>();
        ChannelFuture connect = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (implicitTls) {
                            ch.pipeline().addLast("tls", sslHandler(ch, tls, hop, timeouts.helo()));
                        }
                        ch.pipeline().addLast("lines", new LineBasedFrameDecoder(MAX_REPLY_LINE, true, true));
                        ch.pipeline().addLast("chunks", new ChunkedWriteHandler());
                        ch.pipeline().addLast("replies", replies);
                    }
                })
                .connect(new InetSocketAddress(hop.address(), hop.port()));
        connect.addListener(f -> {
            if (f.isSuccess()) {
                connected.complete(new ClientConnection(connect.channel(), hop, replies, implicitTls));
            } else {
                connected.completeExceptionally(f.cause());
            }
        });
        return connected;
    }

    Hop hop() {
        return hop;
    }

    Capabilities capabilities() {
        return capabilities;
    }

    void capabilities(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    boolean encrypted() {
        return encrypted;
    }

    boolean isOpen() {
        return channel.isActive();
    }

    Channel channel() {
        return channel;
    }

    CompletableFuture<RemoteReply> command(String line, Duration timeout) {
        return pipeline(List.of(line), List.of(timeout)).get(0);
    }

    /** Writes all lines at once (RFC 2920) and answers one future per line. */
    List<CompletableFuture<RemoteReply>> pipeline(List<String> lines, List<Duration> timeouts) {
        List<CompletableFuture<RemoteReply>> answers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            answers.add(new CompletableFuture<>());
        }
        onLoop(() -> {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                replies.expect(timeouts.get(i)).whenComplete(forward(answers.get(i)));
                batch.append(lines.get(i)).append("\r\n");
            }
            channel.writeAndFlush(Unpooled.wrappedBuffer(batch.toString().getBytes(StandardCharsets.UTF_8)))
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            channel.pipeline().fireExceptionCaught(f.cause());
                        }
                    });
        });
        return answers;
    }

    /** Sends the message after a 354 and answers the reply to its final dot. */
    CompletableFuture<RemoteReply> message(Path content, Duration timeout) {
        CompletableFuture<RemoteReply> answer = new CompletableFuture<>();
        onLoop(() -> {
            replies.expect(timeout).whenComplete(forward(answer));
            DotStuffedMessage body;
            try {
                body = new DotStuffedMessage(content);
            } catch (IOException e) {
                channel.pipeline().fireExceptionCaught(new IOException("cannot read the queued message: " + e.getMessage(), e));
                return;
            }
            channel.writeAndFlush(body).addListener(f -> {
                if (!f.isSuccess()) {
                    channel.pipeline().fireExceptionCaught(f.cause());
                }
            });
        });
        return answer;
    }

    /** After the server's 220 to STARTTLS: the TLS handshake; replies then come through TLS. */
    CompletableFuture<Void> startTls(SslContext tls, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> {
            SslHandler handler = sslHandler(channel, tls, hop, timeout);
            channel.pipeline().addFirst("tls", handler);
            handler.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    encrypted = true;
                    done.complete(null);
                } else {
                    done.completeExceptionally(f.cause());
                }
            });
        });
        return done;
    }

    /** QUIT, then close once the server answered or the timeout passed; completes when closed. */
    CompletableFuture<Void> quit(Duration timeout) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        if (channel.isActive()) {
            command("QUIT", timeout).whenComplete((reply, error) -> channel.close());
        } else {
            channel.close();
        }
        return closed;
    }

    void close() {
        channel.close();
    }

    private static SslHandler sslHandler(Channel channel, SslContext tls, Hop hop, Duration timeout) {
        SslHandler handler = tls.newHandler(channel.alloc(), hop.host(), hop.port());
        handler.setHandshakeTimeoutMillis(timeout.toMillis());
        return handler;
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    private static java.util.function.BiConsumer<RemoteReply, Throwable> forward(CompletableFuture<RemoteReply> to) {
        return (reply, error) -> {
            if (error != null) {
                to.completeExceptionally(error);
            } else {
                to.complete(reply);
            }
        };
    }
}

package mailserver.smtp.outbound;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import mailserver.core.config.OutboundConfig;

/**
 * What every delivery shares: the client event loops, the TLS context and the connection cache.
 * Java NIO rather than epoll: a few hundred outbound connections do not need the native transport.
 */
final class SmtpClient implements AutoCloseable {

    static final Duration QUIT_WAIT = Duration.ofSeconds(2);

    private final OutboundConfig config;
    private final EventLoopGroup loops;
    private final Bootstrap bootstrap;
    private final SslContext tls;
    private final ConnectionCache cache;

    SmtpClient(OutboundConfig config) {
        this.config = config;
        this.loops = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("smtp-out"), NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
        try {
            // Opportunistic and "encrypt" TLS as Postfix means them: encrypted, certificate not checked
            // (most MX certificates do not match the MX name; DANE/MTA-STS would be the way to check).
            this.tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot set up the TLS client: " + e.getMessage(), e);
        }
        this.cache = new ConnectionCache(config.connectionCacheTime(), config.timeouts().helo());
    }

    Bootstrap bootstrap() {
        return bootstrap;
    }

    SslContext tls() {
        return tls;
    }

    ConnectionCache cache() {
        return cache;
    }

    OutboundConfig.Timeouts timeouts() {
        return config.timeouts();
    }

    String heloName() {
        return config.heloName();
    }

    /**
     * QUIT to the cached connections (waiting at most {@link #QUIT_WAIT} for their answers: the
     * event loops close every channel as soon as they begin to shut down), then the loops stop.
     */
    @Override
    public void close() {
        try {
            cache.close().get(QUIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A server slow to say goodbye: it gets closed anyway.
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}

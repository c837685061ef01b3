package mailserver.core.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import mailserver.core.config.ListenerConfig;
import mailserver.core.config.Protocol;
import mailserver.core.tls.TlsContextProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every listening socket of the server, sharing one accept thread and one group of I/O event
 * loops. {@link #bind} opens them all or none; {@link #shutdown} closes them gracefully.
 */
public final class MailServerListeners implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailServerListeners.class);

    private static final String LIMITS_HANDLER = "limits";
    private static final String FRAMING_HANDLER = "framing";

    private final Transport transport = Transport.best();
    private final EventLoopGroup acceptLoop =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("accept"), transport.ioHandlerFactory());
    private final EventLoopGroup ioLoops =
            new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("io"), transport.ioHandlerFactory());
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final Map<String, Channel> serverChannels = new LinkedHashMap<>();
    private final TlsContextProvider tls;

    private MailServerListeners(TlsContextProvider tls) {
        this.tls = tls;
    }

    /**
     * Binds every enabled listener of {@code bindings} (disabled ones are skipped). If one
     * cannot be bound, those already bound are closed again and nothing is left running.
     */
    public static MailServerListeners bind(List<Binding> bindings, TlsContextProvider tls) throws ListenerBindException {
        Objects.requireNonNull(tls, "tls");
        requireUniqueNames(bindings);
        MailServerListeners listeners = new MailServerListeners(tls);
        LOG.debug("network I/O uses the {} transport", listeners.transport.name());
        try {
            for (Binding binding : bindings) {
                if (binding.listener().enabled()) {
                    listeners.bind(binding);
                }
            }
        } catch (ListenerBindException e) {
            listeners.close();
            throw e;
        }
        return listeners;
    }

    /** The port a listener got, e.g. when the config asked for port 0. */
    public int boundPort(String listenerName) {
        Channel channel = serverChannels.get(listenerName);
        if (channel == null) {
            throw new IllegalArgumentException("no listener named " + listenerName + " is bound");
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Stops accepting, fires {@link ServerEvent#SHUTTING_DOWN} into every open connection,
     * waits up to {@code grace} for them to close, closes the rest, and stops the event loops.
     */
    public void shutdown(Duration grace) {
        for (Channel server : serverChannels.values()) {
            server.close().awaitUninterruptibly();
        }
        ChannelGroupFuture allClosed = connections.newCloseFuture();
        connections.forEach(channel -> channel.pipeline().fireUserEventTriggered(ServerEvent.SHUTTING_DOWN));
        if (!allClosed.awaitUninterruptibly(grace.toMillis())) {
            LOG.info("closing {} connections still open after the shutdown grace period of {}", connections.size(), grace);
            connections.close().awaitUninterruptibly();
        }
        acceptLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        ioLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Shuts down without a grace period. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    private void bind(Binding binding) throws ListenerBindException {
        ListenerConfig listener = binding.listener();
        InetSocketAddress address = new InetSocketAddress(listener.address(), listener.port());
        if (address.isUnresolved()) {
            throw new ListenerBindException(where(listener) + "cannot resolve the address " + listener.address(), null);
        }
        ConnectionCounter counter = new ConnectionCounter(binding.limits());
        ChannelFuture bound = new ServerBootstrap()
                .group(acceptLoop, ioLoops)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        buildPipeline(channel, binding, counter);
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new ListenerBindException(bindFailure(listener, bound.cause()), bound.cause());
        }
        serverChannels.put(listener.name(), bound.channel());
        InetSocketAddress local = (InetSocketAddress) bound.channel().localAddress();
        LOG.info("listening on {}:{} ({}, {})", listener.address(), local.getPort(), listener.name(),
                tlsMode(listener));
    }

    /** The steps every connection goes through, in order; the protocol's handlers come last. */
    private void buildPipeline(Channel channel, Binding binding, ConnectionCounter counter) {
        LineDecoder framing = new LineDecoder(binding.limits().maxLineLength());
        Connection connection = new Connection(channel, binding.listener(), SessionId.next(), tls, framing);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(Connection.SESSION_HANDLER, new SessionMdcHandler(connection.sessionId()));
        if (binding.listener().implicitTls()) {
            pipeline.addLast(Connection.TLS_HANDLER, tls.current().newHandler(channel.alloc()));
        }
        pipeline.addLast(LIMITS_HANDLER, new ConnectionLimitHandler(counter, binding.protocol(), connection));
        pipeline.addLast(FRAMING_HANDLER, framing);
        binding.protocol().initChannel(channel, connection);
        pipeline.addLast(ProtocolHandler.LAST_HANDLER, UncaughtErrorHandler.INSTANCE);
        connections.add(channel);
    }

    /** As the protocol calls it: POP3's STARTTLS is STLS (RFC 2595). */
    private static String tlsMode(ListenerConfig listener) {
        if (listener.implicitTls()) {
            return "TLS";
        }
        return listener.protocol() == Protocol.POP3 ? "STLS" : "STARTTLS";
    }

    static String bindFailure(ListenerConfig listener, Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("permission denied")) {
            return where(listener) + "permission denied; run as root, grant CAP_NET_BIND_SERVICE, or change listeners."
                    + listener.name() + ".port";
        }
        if (lower.contains("address already in use")) {
            return where(listener) + "port " + listener.port() + " is already in use";
        }
        if (lower.contains("cannot assign requested address")) {
            return where(listener) + listener.address() + " is not an address of this host";
        }
        return where(listener) + message;
    }

    private static String where(ListenerConfig listener) {
        return "cannot listen on " + listener.address() + ":" + listener.port() + " (listeners." + listener.name() + "): ";
    }

    private static void requireUniqueNames(List<Binding> bindings) {
        List<String> duplicates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Binding binding : bindings) {
            if (!seen.add(binding.listener().name())) {
                duplicates.add(binding.listener().name());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("listener names bound twice: " + duplicates);
        }
    }
}

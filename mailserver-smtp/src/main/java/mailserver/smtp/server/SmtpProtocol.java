package mailserver.smtp.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateHandler;
import mailserver.core.net.Connection;
import mailserver.core.net.ConnectionLimit;
import mailserver.core.net.ListenerLimits;
import mailserver.core.net.ProtocolHandler;
import mailserver.core.net.WorkerPool;
import mailserver.smtp.session.SmtpListenerSettings;
import mailserver.smtp.session.SmtpServices;
import mailserver.smtp.session.SmtpSession;

/**
 * SMTP on one listener (25, 587 or 465): plugs an {@link SmtpSession} per connection into the
 * core's listener pipeline. Bind it with {@code new Binding(listenerConfig, protocol, SmtpProtocol.limits(...))}.
 */
public final class SmtpProtocol implements ProtocolHandler {

    /**
     * The framing limit for SMTP: commands are held to RFC 5321 by the parser, but a line of
     * message data may be longer than 1000 octets in real mail, and a longer one ends the session.
     */
    public static final int MAX_LINE_LENGTH = 64 * 1024;
    /** RFC 5321 4.5.3.2.7: a server should wait at least 5 minutes for the next command. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private final SmtpListenerSettings settings;
    private final SmtpServices services;
    private final WorkerPool workers;
    private final Duration idleTimeout;

    public SmtpProtocol(SmtpListenerSettings settings, SmtpServices services, WorkerPool workers, Duration idleTimeout) {
        this.settings = Objects.requireNonNull(settings);
        this.services = Objects.requireNonNull(services);
        this.workers = Objects.requireNonNull(workers);
        this.idleTimeout = Objects.requireNonNull(idleTimeout);
    }

    /** The listener limits for SMTP with the given connection caps and {@link #MAX_LINE_LENGTH}. */
    public static ListenerLimits limits(int maxConnections, int maxConnectionsPerIp) {
        return new ListenerLimits(maxConnections, maxConnectionsPerIp, MAX_LINE_LENGTH);
    }

    @Override
    public void initChannel(Channel channel, Connection connection) {
        SmtpSession session = new SmtpSession(settings, services, (InetSocketAddress) channel.remoteAddress());
        channel.pipeline().addLast("idle", new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        channel.pipeline().addLast("smtp", new SmtpConnectionHandler(session, connection, workers));
    }

    @Override
    public String refusalLine(Connection connection, ConnectionLimit exceeded) {
        return "421 4.7.0 " + settings.hostname() + " Too many connections, try again later";
    }
}

package mailserver.pop3.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateHandler;
import mailserver.auth.AuthService;
import mailserver.auth.sasl.SaslExchange;
import mailserver.core.net.Connection;
import mailserver.core.net.ConnectionLimit;
import mailserver.core.net.ListenerLimits;
import mailserver.core.net.ProtocolHandler;
import mailserver.core.net.WorkerPool;
import mailserver.pop3.session.Maildrops;
import mailserver.pop3.session.Pop3Session;
import mailserver.pop3.session.Pop3Settings;
import mailserver.store.MailStore;

/**
 * POP3 on one or more listeners (110 with STLS, 995 with implicit TLS): a {@link Pop3Session}
 * per connection on the core's listener pipeline. Bind it with
 * {@code new Binding(listenerConfig, protocol, Pop3Protocol.limits(...))}; one instance may
 * serve both listeners, so the optional session lock covers both.
 */
public final class Pop3Protocol implements ProtocolHandler {

    /** The framing limit: the longest SASL response plus the AUTH command around it. */
    public static final int MAX_LINE_LENGTH = SaslExchange.MAX_RESPONSE_LENGTH + 64;

    private final Pop3Settings settings;
    private final AuthService auth;
    private final Maildrops maildrops;
    private final WorkerPool workers;

    /** @param maildirRoot the root the directory's {@code maildir} column is relative to ({@code storage.maildir-root}) */
    public Pop3Protocol(Pop3Settings settings, AuthService auth, MailStore store, Path maildirRoot, WorkerPool workers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.maildrops = new Maildrops(store, maildirRoot, settings.lockSession());
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    /** The listener limits for POP3 with the given connection caps and {@link #MAX_LINE_LENGTH}. */
    public static ListenerLimits limits(int maxConnections, int maxConnectionsPerIp) {
        return new ListenerLimits(maxConnections, maxConnectionsPerIp, MAX_LINE_LENGTH);
    }

    @Override
    public void initChannel(Channel channel, Connection connection) {
        Pop3Session session = new Pop3Session(settings, auth, maildrops, connection.remote().getAddress(),
                connection.listener().implicitTls());
        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        channel.pipeline().addLast("pop3", new Pop3ConnectionHandler(session, connection, workers));
    }

    @Override
    public String refusalLine(Connection connection, ConnectionLimit exceeded) {
        return "-ERR [SYS/TEMP] Too many connections, try again later.";
    }
}

package mailserver.imap.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateHandler;
import mailserver.core.net.Connection;
import mailserver.core.net.ConnectionLimit;
import mailserver.core.net.ListenerLimits;
import mailserver.core.net.ProtocolHandler;
import mailserver.core.net.WorkerPool;
import mailserver.imap.parse.CommandParser;
import mailserver.auth.AuthService;
import mailserver.imap.session.ImapSession;
import mailserver.imap.session.ImapSettings;
import mailserver.store.MailStore;

/**
 * IMAP on one listener (143 or 993): an {@link ImapSession} per connection on the core's listener
 * pipeline. Bind it with {@code new Binding(listenerConfig, protocol, ImapProtocol.limits(...))}.
 * Literals too large to keep in memory (APPENDed messages) are spooled to the given spool
 * directory until the command has run.
 */
public final class ImapProtocol implements ProtocolHandler {

    /** The first handler this protocol adds; the framing sits right before it. */
    static final String HANDLER_NAME_IDLE = "idle";

    private final ImapSettings settings;
    private final ImapSession.Services services;
    private final WorkerPool workers;
    private final CommandParser parser;
    private final Path spoolDir;

    /** @param spoolDir where APPENDed literals too large to keep in memory wait until their command runs */
    public ImapProtocol(ImapSettings settings, AuthService auth, MailStore store, Path maildirRoot, Path spoolDir,
                        WorkerPool workers) {
        this.settings = Objects.requireNonNull(settings);
        this.services = new ImapSession.Services(Objects.requireNonNull(auth), Objects.requireNonNull(store),
                Objects.requireNonNull(maildirRoot));
        this.workers = Objects.requireNonNull(workers);
        this.parser = new CommandParser(settings.limits());
        this.spoolDir = Objects.requireNonNull(spoolDir);
    }

    /** The listener limits for IMAP: the connection caps, and the settings' line length for framing. */
    public static ListenerLimits limits(ImapSettings settings, int maxConnections, int maxConnectionsPerIp) {
        return new ListenerLimits(maxConnections, maxConnectionsPerIp, settings.limits().maxLineLength());
    }

    @Override
    public void initChannel(Channel channel, Connection connection) {
        channel.pipeline().addLast(HANDLER_NAME_IDLE, new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        channel.pipeline().addLast("imap", new ImapConnectionHandler(settings, services, parser, spoolDir, connection, workers));
    }

    @Override
    public String refusalLine(Connection connection, ConnectionLimit exceeded) {
        return "* BYE [UNAVAILABLE] Too many connections, try again later";
    }
}

package mailserver.dist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.ListenerConfig;
import mailserver.core.config.MailserverConfig;
import mailserver.core.config.Protocol;
import mailserver.core.net.Binding;
import mailserver.core.net.ListenerLimits;
import mailserver.core.net.MailServerListeners;
import mailserver.core.net.ProtocolHandler;
import mailserver.core.net.WorkerPool;
import mailserver.core.tls.TlsContextProvider;

/**
 * The running server: the whole object graph, built with plain constructors in this one
 * place. {@link #start} brings everything up or, if any part fails, closes what it had
 * started and throws; {@link #shutdown} takes it down in the reverse order.
 */
public final class MailServer {

    private final JdbcDirectory directory;
    private final TlsContextProvider tls;
    private final WorkerPool workers;
    private final MailServerListeners listeners;

    private MailServer(JdbcDirectory directory, TlsContextProvider tls, WorkerPool workers, MailServerListeners listeners) {
        this.directory = directory;
        this.tls = tls;
        this.workers = workers;
        this.listeners = listeners;
    }

    public static MailServer start(MailserverConfig config) throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            JdbcDirectory directory = remember(started, JdbcDirectory.open(config.directory()));
            TlsContextProvider tls = remember(started, TlsContextProvider.start(config.tls(), config.server().hostname()));
            WorkerPool workers = remember(started, new WorkerPool(workerThreads(), 10_000));
            Map<Protocol, ProtocolHandler> protocols = Map.of(
                    Protocol.SMTP, new UnavailableProtocol(Protocol.SMTP, config.server().hostname()),
                    Protocol.IMAP, new UnavailableProtocol(Protocol.IMAP, config.server().hostname()),
                    Protocol.POP3, new UnavailableProtocol(Protocol.POP3, config.server().hostname()));
            List<Binding> bindings = new ArrayList<>();
            for (ListenerConfig listener : config.listeners().all()) {
                bindings.add(new Binding(listener, protocols.get(listener.protocol()), limits(listener)));
            }
            MailServerListeners listeners = MailServerListeners.bind(bindings, tls);
            return new MailServer(directory, tls, workers, listeners);
        } catch (Exception | Error e) {
            closeAll(started);
            throw e;
        }
    }

    /** The port a listener got; tests bind port 0 and ask. */
    public int boundPort(String listenerName) {
        return listeners.boundPort(listenerName);
    }

    /** Stops accepting, lets sessions finish for up to {@code grace}, then releases everything. */
    public void shutdown(Duration grace) {
        listeners.shutdown(grace);
        workers.close(grace);
        tls.close();
        directory.close();
    }

    private static ListenerLimits limits(ListenerConfig listener) {
        // RFC 5321 4.5.3.1.4: 512 octets per command line, plus room for ESMTP parameters.
        int maxLine = listener.protocol() == Protocol.IMAP ? 65_536 : 2_048;
        return new ListenerLimits(1_000, 20, maxLine);
    }

    private static int workerThreads() {
        return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    }

    private static <T extends AutoCloseable> T remember(List<AutoCloseable> started, T resource) {
        started.add(resource);
        return resource;
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // already failing; the first cause is the one to report
            }
        }
    }
}

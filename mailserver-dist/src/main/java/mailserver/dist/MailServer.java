package mailserver.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import mailserver.auth.AuthService;
import mailserver.auth.LoginThrottle;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.LimitsConfig;
import mailserver.core.config.ListenerConfig;
import mailserver.core.config.MailAccessConfig;
import mailserver.core.config.MailserverConfig;
import mailserver.core.config.SmtpConfig;
import mailserver.core.dns.DnsResolver;
import mailserver.core.net.Binding;
import mailserver.core.net.MailServerListeners;
import mailserver.core.net.WorkerPool;
import mailserver.core.tls.TlsContextProvider;
import mailserver.imap.server.ImapProtocol;
import mailserver.imap.session.ImapSettings;
import mailserver.pop3.server.Pop3Protocol;
import mailserver.pop3.session.Pop3Settings;
import mailserver.smtp.checks.InboundChecks;
import mailserver.smtp.delivery.SmtpServicesFactory;
import mailserver.smtp.dkim.DkimSigner;
import mailserver.smtp.outbound.SmtpTransport;
import mailserver.smtp.queue.QueueScheduler;
import mailserver.smtp.queue.QueueStore;
import mailserver.smtp.server.SmtpProtocol;
import mailserver.smtp.session.SmtpListenerSettings;
import mailserver.smtp.session.SmtpServices;
import mailserver.store.MailStore;

/**
 * The running server: the whole object graph, built with plain constructors in this one
 * place. {@link #start} brings everything up or, if any part fails, closes what it had
 * started and throws; {@link #shutdown} takes it down in the reverse order.
 */
public final class MailServer {

    /** Disk, JDBC and password hashing wait here; a full queue answers "try again later". */
    private static final int WORKER_QUEUE = 10_000;
    /** The listener other servers send to, whose sessions get worker threads of their own. */
    private static final String MX_LISTENER = "smtp";

    private final List<AutoCloseable> started;
    private final MailServerListeners listeners;
    private final List<WorkerPool> workers;
    private final QueueScheduler queue;

    private MailServer(List<AutoCloseable> started, MailServerListeners listeners, List<WorkerPool> workers, QueueScheduler queue) {
        this.started = started;
        this.listeners = listeners;
        this.workers = workers;
        this.queue = queue;
    }

    public static MailServer start(MailserverConfig config) throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            String hostname = config.server().hostname();
            JdbcDirectory directory = remember(started, JdbcDirectory.open(config.directory()));
            TlsContextProvider tls = remember(started, TlsContextProvider.start(config.tls(), hostname));
            MailStore store = remember(started, new MailStore(hostname));
            WorkerPool workers = remember(started, new WorkerPool(workerThreads(), WORKER_QUEUE));
            // Port 25's SPF/DKIM/DMARC checks wait for DNS on a worker: when DNS hangs (15 s a lookup with
            // the defaults), strangers' sessions must not take the threads logged-in users' IMAP, POP3 and
            // submission need.
            WorkerPool mxWorkers = remember(started, new WorkerPool(workerThreads(), WORKER_QUEUE));
            AuthService auth = new AuthService(directory, new LoginThrottle(LoginThrottle.Settings.DEFAULTS));
            Path maildirRoot = config.storage().maildirRoot();
            Path imapSpool = Files.createDirectories(config.server().dataDir().resolve("spool").resolve("imap"));
            LimitsConfig limits = config.limits();
            DnsResolver dns = new DnsResolver(config.dns());
            // The queue writer wakes the scheduler, whose bounces go through the writer's sink: one needs the other.
            AtomicReference<QueueScheduler> scheduler = new AtomicReference<>();
            SmtpServices smtpServices = SmtpServicesFactory.create(directory, store, maildirRoot,
                    config.server().dataDir(), auth, new DkimSigner(directory, config.smtp().relayNetworks()),
                    () -> Optional.ofNullable(scheduler.get()).ifPresent(QueueScheduler::wake))
                    .withChecks(InboundChecks.create(config.checks(), hostname, dns));
            SmtpTransport transport = remember(started, new SmtpTransport(config.outbound(), dns));
            QueueScheduler queue = remember(started, new QueueScheduler(
                    new QueueStore(config.server().dataDir().resolve("queue")), transport,
                    SmtpServicesFactory.bounces(smtpServices, directory, hostname), config.queue(), hostname,
                    Clock.systemUTC()));
            scheduler.set(queue);
            queue.start();

            List<Binding> bindings = new ArrayList<>();
            for (ListenerConfig listener : config.listeners().all()) {
                bindings.add(switch (listener.protocol()) {
                    case SMTP -> new Binding(listener,
                            new SmtpProtocol(smtpSettings(hostname, listener, config.smtp()), smtpServices,
                                    listener.name().equals(MX_LISTENER) ? mxWorkers : workers, config.smtp().idleTimeout()),
                            SmtpProtocol.limits(limits.maxConnections(), limits.maxConnectionsPerIp()));
                    case IMAP -> {
                        ImapSettings settings = imapSettings(hostname, listener, config.imap());
                        yield new Binding(listener, new ImapProtocol(settings, auth, store, maildirRoot, imapSpool, workers),
                                ImapProtocol.limits(settings, limits.maxConnections(), limits.maxConnectionsPerIp()));
                    }
                    case POP3 -> new Binding(listener,
                            new Pop3Protocol(pop3Settings(hostname, config.pop3()), auth, store, maildirRoot, workers),
                            Pop3Protocol.limits(limits.maxConnections(), limits.maxConnectionsPerIp()));
                });
            }
            MailServerListeners listeners = MailServerListeners.bind(bindings, tls);
            return new MailServer(started, listeners, List.of(workers, mxWorkers), queue);
        } catch (Exception | Error e) {
            closeAll(started);
            throw e;
        }
    }

    /** The port a listener got; tests bind port 0 and ask. */
    public int boundPort(String listenerName) {
        return listeners.boundPort(listenerName);
    }

    /**
     * Stops accepting, lets sessions finish for up to {@code grace}, lets each worker pool (port
     * 25's, everyone else's) finish what they left for the same time, lets outbound deliveries under way finish and be
     * recorded for the same time, then releases everything else (the SMTP client last).
     */
    public void shutdown(Duration grace) {
        listeners.shutdown(grace);
        workers.forEach(pool -> pool.close(grace));
        queue.shutdown(grace);
        started.removeAll(workers);
        closeAll(started);
    }

    /** Port 25 takes mail for local domains; 587 and 465 take it from logged-in clients. */
    private static SmtpListenerSettings smtpSettings(String hostname, ListenerConfig listener, SmtpConfig smtp) {
        SmtpListenerSettings base = switch (listener.name()) {
            case "submission" -> SmtpListenerSettings.submission(hostname);
            case "submissions" -> SmtpListenerSettings.submissions(hostname);
            default -> SmtpListenerSettings.mx(hostname);
        };
        return base.withRelayNetworks(smtp.relayNetworks())
                .withLimits(smtp.maxMessageSize(), smtp.maxRecipients(), smtp.maxErrors())
                .withSenderMustBeOwned(smtp.senderMustBeOwned());
    }

    private static ImapSettings imapSettings(String hostname, ListenerConfig listener, MailAccessConfig imap) {
        ImapSettings base = listener.implicitTls() ? ImapSettings.imaps(hostname) : ImapSettings.imap(hostname);
        return new ImapSettings(hostname, base.implicitTls(), imap.allowPlaintextAuth(), base.limits(),
                base.maxBadCommands(), imap.idleTimeout(), base.idlePollInterval(), imap.authMechanisms());
    }

    private static Pop3Settings pop3Settings(String hostname, MailAccessConfig pop3) {
        return new Pop3Settings(hostname, pop3.allowPlaintextAuth(), Pop3Settings.DEFAULT_MAX_BAD_COMMANDS,
                Pop3Settings.DEFAULT_MAX_AUTH_FAILURES, pop3.idleTimeout(), false);
    }

    private static int workerThreads() {
        return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    }

    private static <T extends AutoCloseable> T remember(List<AutoCloseable> started, T resource) {
        started.add(resource);
        return resource;
    }

    /** In reverse order of starting; a failure to close one does not keep the others open. */
    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // already stopping; nothing more useful to do with it
            }
        }
    }
}

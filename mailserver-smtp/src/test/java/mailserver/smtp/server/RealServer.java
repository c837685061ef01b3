package mailserver.smtp.server;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import mailserver.auth.AuthService;
import mailserver.auth.LoginThrottle;
import mailserver.auth.directory.Directory;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.DirectoryConfig;
import mailserver.core.config.ListenerConfig;
import mailserver.core.config.Protocol;
import mailserver.core.config.TlsConfig;
import mailserver.core.mail.MailAddress;
import mailserver.core.net.Binding;
import mailserver.core.net.MailServerListeners;
import mailserver.core.net.WorkerPool;
import mailserver.core.tls.TlsContextProvider;
import mailserver.smtp.delivery.SmtpServicesFactory;
import mailserver.smtp.session.MessageChecks;
import mailserver.smtp.dkim.MessageSigner;
import mailserver.smtp.session.SmtpListenerSettings;
import mailserver.smtp.session.SmtpServices;
import mailserver.store.MailStore;
import mailserver.store.Quota;

/**
 * The three SMTP listeners on free loopback ports over the REAL directory (H2 in a folder) and
 * the REAL Maildir store, wired by {@link SmtpServicesFactory} as the server wires them.
 * Port 25 trusts no network, so loopback clients are strangers there.
 *
 * <pre>
 * example.org   alice, bob, carol (password {@link #PASSWORD}); full (quota 1000 bytes, already
 *               over); small (quota {@link #SMALL_QUOTA} bytes); jürgen (a UTF-8 local part)
 *               sales -> alice, bob; team -> sales, carol (nested); forward -> alice and
 *               friend@remote.example
 * example.net   alias domain of example.org
 * catchall.test catch-all -> carol
 * </pre>
 */
final class RealServer implements AutoCloseable {

    static final String HOSTNAME = "mx.example.org";
    static final String PASSWORD = "correct horse";
    static final long MAX_MESSAGE_BYTES = 256 * 1024;
    static final long SMALL_QUOTA = 3000;
    /** Short delays so failed-login tests do not wait seconds; growth and lockout are the real logic. */
    static final LoginThrottle.Settings THROTTLE =
            new LoginThrottle.Settings(Duration.ofMillis(20), Duration.ofMillis(100), 8, 50, Duration.ofMinutes(15));

    final Path maildirRoot;
    final Path dataDir;
    final JdbcDirectory directory;
    final MailStore store;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final MailServerListeners listeners;

    /** With the accounts and aliases above when {@code populate}; a restart over the same folder passes false. */
    RealServer(Path dir, boolean populate) throws Exception {
        this(dir, populate, "127.0.0.1", MessageChecks.NONE, directory -> MessageSigner.NONE);
    }

    /** With SPF/DKIM/DMARC checks of the mail strangers send to port 25. */
    RealServer(Path dir, boolean populate, MessageChecks checks) throws Exception {
        this(dir, populate, "127.0.0.1", checks, directory -> MessageSigner.NONE);
    }

    /** @param signer the signer of queued mail, made over this server's directory */
    RealServer(Path dir, boolean populate, Function<Directory, MessageSigner> signer) throws Exception {
        this(dir, populate, "127.0.0.1", MessageChecks.NONE, signer);
    }

    /** Listening on {@code address}, e.g. 127.0.0.2 to be an MX the outbound client finds through DNS. */
    RealServer(Path dir, boolean populate, String address) throws Exception {
        this(dir, populate, address, MessageChecks.NONE, directory -> MessageSigner.NONE);
    }

    private RealServer(Path dir, boolean populate, String address, MessageChecks checks,
            Function<Directory, MessageSigner> signer) throws Exception {
        maildirRoot = Files.createDirectories(dir.resolve("mail"));
        dataDir = Files.createDirectories(dir.resolve("data"));
        directory = remember(JdbcDirectory.open(new DirectoryConfig(
                "jdbc:h2:file:" + dir.resolve("db") + "/directory;MODE=MariaDB;DATABASE_TO_LOWER=TRUE",
                "sa", "", true, Duration.ofSeconds(30), 4)));
        if (populate) {
            populate();
        }
        store = remember(new MailStore("test.host"));
        WorkerPool workers = remember(new WorkerPool(8, 200));
        TlsContextProvider tls = remember(TlsContextProvider.start(new TlsConfig(null, null, dir.resolve("tls")), HOSTNAME));
        AuthService auth = new AuthService(directory, new LoginThrottle(THROTTLE));
        SmtpServices services = SmtpServicesFactory.create(directory, store, maildirRoot, dataDir, auth, signer.apply(directory))
                .withChecks(checks);
        SmtpListenerSettings mx = SmtpListenerSettings.mx(HOSTNAME).withRelayNetworks(List.of())
                .withLimits(MAX_MESSAGE_BYTES, 1000, 20);
        listeners = MailServerListeners.bind(List.of(
                binding("smtp", false, mx, services, workers, address),
                binding("submission", false, SmtpListenerSettings.submission(HOSTNAME), services, workers, address),
                binding("submissions", true, SmtpListenerSettings.submissions(HOSTNAME), services, workers, address)), tls);
    }

    private void populate() throws Exception {
        directory.addDomain("example.org", "");
        for (String user : List.of("alice", "bob", "carol", "jürgen")) {
            directory.addAccount(MailAddress.parse(user + "@example.org"), PASSWORD.toCharArray(), 0, user);
        }
        directory.addAccount(MailAddress.parse("full@example.org"), PASSWORD.toCharArray(), 1000, "Full");
        directory.addAccount(MailAddress.parse("small@example.org"), PASSWORD.toCharArray(), SMALL_QUOTA, "Small");
        directory.addAlias("sales@example.org", List.of("alice@example.org", "bob@example.org"));
        directory.addAlias("team@example.org", List.of("sales@example.org", "carol@example.org"));
        directory.addAlias("forward@example.org", List.of("alice@example.org", "friend@remote.example"));
        directory.addDomainAlias("example.net", "example.org");
        directory.addDomain("catchall.test", "");
        directory.addAlias("@catchall.test", List.of("carol@example.org"));
        // "full" is over its quota before the first test: 2000 bytes already delivered.
        try (MailStore filler = new MailStore("test.host")) {
            filler.open(maildirRoot.resolve("example.org/full/"), Quota.UNLIMITED)
                    .deliver("INBOX", new ByteArrayInputStream(("Subject: filler\r\n\r\n" + "x".repeat(2000) + "\r\n").getBytes()));
        }
    }

    private Binding binding(String name, boolean implicitTls, SmtpListenerSettings settings, SmtpServices services,
            WorkerPool workers, String address) {
        return new Binding(new ListenerConfig(name, Protocol.SMTP, implicitTls, true, address, 0),
                new SmtpProtocol(settings, services, workers, Duration.ofSeconds(60)), SmtpProtocol.limits(100, 100));
    }

    private <T extends AutoCloseable> T remember(T resource) {
        open.add(0, resource);
        return resource;
    }

    int port(String listener) {
        return listeners.boundPort(listener);
    }

    /** The message files in an account's INBOX ({@code new/}), oldest name first. */
    List<Path> inbox(String account) throws Exception {
        return folder(account, "");
    }

    /** The new message files of one of an account's Maildir++ folders ("" INBOX, ".Junk"), oldest name first. */
    List<Path> folder(String account, String maildirFolder) throws Exception {
        String maildir = directory.findAccount(MailAddress.parse(account)).orElseThrow().maildir();
        Path newDir = MailStore.accountMaildir(maildirRoot, maildir).resolve(maildirFolder).resolve("new");
        if (!Files.isDirectory(newDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(newDir)) {
            return files.sorted().toList();
        }
    }

    Path queueDir() {
        return dataDir.resolve("queue");
    }

    @Override
    public void close() {
        listeners.close();
        for (AutoCloseable resource : open) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

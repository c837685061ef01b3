package mailserver.imap.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
import mailserver.auth.AuthService;
import mailserver.auth.LoginThrottle;
import mailserver.imap.session.ImapSettings;
import mailserver.store.MailStore;

/**
 * The two IMAP listeners on free loopback ports, over an H2 directory with alice@example.test
 * (password "secret") and bob@example.test ("hunter2") checked by the auth module's AuthService,
 * and a Maildir root in a temp folder.
 * Port "imap" allows LOGIN without TLS (as tests talk cleartext); "imap-strict" does not.
 */
final class TestServer implements AutoCloseable {

    static final String HOSTNAME = "imap.example.test";

    final Path maildirRoot;
    private final Path spoolDir;
    final MailStore store = new MailStore("testhost");
    final JdbcDirectory directory;
    private final TlsContextProvider tls;
    private final WorkerPool workers = new WorkerPool(4, 200);
    private final MailServerListeners listeners;

    TestServer(Path dir) throws Exception {
        this(dir, ImapSettings.imap(HOSTNAME).withIdlePollInterval(Duration.ofMillis(500)));
    }

    TestServer(Path dir, ImapSettings base) throws Exception {
        maildirRoot = Files.createDirectories(dir.resolve("mail"));
        spoolDir = Files.createDirectories(dir.resolve("spool"));
        directory = JdbcDirectory.open(new DirectoryConfig(
                "jdbc:h2:file:" + dir.resolve("directory") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE", "sa", null, true,
                Duration.ZERO, 2));
        directory.addDomain("example.test", "test domain");
        directory.addAccount(MailAddress.parse("alice@example.test"), "secret".toCharArray(), 0, "Alice");
        directory.addAccount(MailAddress.parse("bob@example.test"), "hunter2".toCharArray(), 0, "Bob");
        tls = TlsContextProvider.start(new TlsConfig(null, null, dir.resolve("tls")), HOSTNAME);
        // A short first delay keeps the failed-login tests quick; the delay path still runs.
        AuthService authenticator = new AuthService(directory, new LoginThrottle(new LoginThrottle.Settings(
                Duration.ofMillis(200), Duration.ofSeconds(1), 50, 50, Duration.ofMinutes(1))));
        listeners = MailServerListeners.bind(List.of(
                binding("imap", false, base.withPlaintextAuth(true), authenticator),
                binding("imap-strict", false, base, authenticator),
                binding("imaps", true, ImapSettings.imaps(HOSTNAME).withIdlePollInterval(base.idlePollInterval()), authenticator)),
                tls);
    }

    private Binding binding(String name, boolean implicitTls, ImapSettings settings, AuthService authenticator) {
        return new Binding(new ListenerConfig(name, Protocol.IMAP, implicitTls, true, "127.0.0.1", 0),
                new ImapProtocol(settings, authenticator, store, maildirRoot, spoolDir, workers), ImapProtocol.limits(settings, 100, 50));
    }

    int port(String listener) {
        return listeners.boundPort(listener);
    }

    /** Alice's Maildir as the store sees it (for delivering mail "from SMTP"). */
    mailserver.store.Mailbox alice() throws Exception {
        Optional<mailserver.auth.directory.AccountInfo> account = directory.findAccount(MailAddress.parse("alice@example.test"));
        return store.open(MailStore.accountMaildir(maildirRoot, account.orElseThrow().maildir()), mailserver.store.Quota.UNLIMITED);
    }

    @Override
    public void close() {
        listeners.close();
        workers.close();
        tls.close();
        store.close();
        directory.close();
    }
}

package mailserver.pop3.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import mailserver.auth.AuthService;
import mailserver.auth.LoginThrottle;
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
import mailserver.pop3.session.Pop3Settings;
import mailserver.store.AppendResult;
import mailserver.store.Folder;
import mailserver.store.MailStore;
import mailserver.store.Quota;

/**
 * The real POP3 server for one test class: an H2 directory with alice and bob (passwords
 * {@value #PASSWORD}), a Maildir root in a temp folder, a self-signed certificate, and two
 * listeners on free ports: {@code pop3} (STLS) and {@code pop3s} (implicit TLS).
 */
final class Pop3TestServer implements AutoCloseable {

    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";
    static final String PASSWORD = "s3cret pass";
    /** Short delays so failed-login tests do not wait seconds; the growth and lockout are the real logic. */
    static final LoginThrottle.Settings THROTTLE =
            new LoginThrottle.Settings(Duration.ofMillis(20), Duration.ofMillis(100), 8, 50, Duration.ofMinutes(15));

    final Path work;
    final Path maildirRoot;
    final JdbcDirectory directory;
    final MailStore store;
    final WorkerPool workers;
    final TlsContextProvider tls;
    final MailServerListeners listeners;

    private Pop3TestServer(Path work, Pop3Settings settings, LoginThrottle.Settings throttle) throws Exception {
        this.work = work;
        this.maildirRoot = work.resolve("mail");
        Files.createDirectories(maildirRoot);
        directory = JdbcDirectory.open(new DirectoryConfig(
                "jdbc:h2:file:" + work.resolve("db") + "/directory;MODE=MariaDB;DATABASE_TO_LOWER=TRUE",
                "sa", "", true, Duration.ofSeconds(30), 4));
        directory.addDomain("example.test", "");
        directory.addAccount(MailAddress.parse(ALICE), PASSWORD.toCharArray(), 0, "Alice");
        directory.addAccount(MailAddress.parse(BOB), PASSWORD.toCharArray(), 0, "Bob");
        store = new MailStore("test.host");
        workers = new WorkerPool(4, 100);
        tls = TlsContextProvider.start(new TlsConfig(null, null, work.resolve("tls")), "localhost");
        AuthService auth = new AuthService(directory, new LoginThrottle(throttle));
        Pop3Protocol protocol = new Pop3Protocol(settings, auth, store, maildirRoot, workers);
        listeners = MailServerListeners.bind(List.of(
                new Binding(new ListenerConfig("pop3", Protocol.POP3, false, true, "127.0.0.1", 0), protocol,
                        Pop3Protocol.limits(50, 50)),
                new Binding(new ListenerConfig("pop3s", Protocol.POP3, true, true, "127.0.0.1", 0), protocol,
                        Pop3Protocol.limits(50, 50))), tls);
    }

    static Pop3TestServer start(Path work) throws Exception {
        return start(work, Pop3Settings.defaults("pop.example.test"));
    }

    static Pop3TestServer start(Path work, Pop3Settings settings) throws Exception {
        return new Pop3TestServer(work, settings, THROTTLE);
    }

    static Pop3TestServer start(Path work, Pop3Settings settings, LoginThrottle.Settings throttle) throws Exception {
        return new Pop3TestServer(work, settings, throttle);
    }

    int plainPort() {
        return listeners.boundPort("pop3");
    }

    int tlsPort() {
        return listeners.boundPort("pop3s");
    }

    /** Alice's (or another account's) Maildir, as the directory's maildir column places it. */
    Path maildir(String address) throws IOException {
        MailAddress a = MailAddress.parse(address);
        return MailStore.accountMaildir(maildirRoot, a.domain() + "/" + a.localPart() + "/");
    }

    Folder inbox(String address) throws IOException {
        return store.open(maildir(address), Quota.UNLIMITED).folder("INBOX");
    }

    /** Delivers as SMTP does; returns the UID. */
    long deliver(String address, String message) throws IOException {
        return deliver(address, message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    long deliver(String address, byte[] message) throws IOException {
        AppendResult result = inbox(address).deliver(new ByteArrayInputStream(message));
        return result.uid();
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

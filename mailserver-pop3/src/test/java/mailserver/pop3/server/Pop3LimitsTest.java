package mailserver.pop3.server;

import static mailserver.pop3.server.Pop3TestServer.ALICE;
import static mailserver.pop3.server.Pop3TestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import mailserver.auth.AuthService;
import mailserver.auth.LoginThrottle;
import mailserver.pop3.session.Pop3Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Failed logins, locks, limits, timeouts and shutdown: each test with a server configured for it. */
class Pop3LimitsTest {

    static final Pop3Settings DEFAULTS = Pop3Settings.defaults("pop.example.test");

    @TempDir
    Path work;
    Pop3TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    RawClient connect() throws IOException {
        RawClient c = RawClient.tls(server.tlsPort());
        assertThat(c.readLine()).startsWith("+OK");
        return c;
    }

    static String pass(RawClient c, String password) throws IOException {
        assertThat(c.command("USER " + ALICE)).isEqualTo("+OK");
        return c.command("PASS " + password);
    }

    @Test
    void wrongPasswordsAreRefusedWithAuthAndTheConnectionEndsAfterThree() throws Exception {
        server = Pop3TestServer.start(work);
        try (RawClient c = connect()) {
            assertThat(pass(c, "wrong")).isEqualTo("-ERR [AUTH] Authentication failed.");
            assertThat(c.command("AUTH PLAIN " + Pop3ProtocolTest.b64("\0nobody@example.test\0x")))
                    .isEqualTo("-ERR [AUTH] Authentication failed.");
            assertThat(pass(c, "wrong again")).isEqualTo("-ERR [AUTH] Authentication failed.");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void anAddressWithTooManyFailuresIsLockedOutWithSysTemp() throws Exception {
        server = Pop3TestServer.start(work, DEFAULTS,
                new LoginThrottle.Settings(Duration.ofMillis(10), Duration.ofMillis(50), 2, 50, Duration.ofMinutes(15)));
        try (RawClient c = connect()) {
            assertThat(pass(c, "wrong")).isEqualTo("-ERR [AUTH] Authentication failed.");
            assertThat(pass(c, "wrong")).isEqualTo("-ERR [AUTH] Authentication failed.");
        }
        try (RawClient c = connect()) {
            assertThat(pass(c, PASSWORD)).isEqualTo("-ERR [SYS/TEMP] Too many failed logins, try again later.");
        }
    }

    @Test
    void everyLoginLeavesAnAuditLine() throws Exception {
        server = Pop3TestServer.start(work);
        ListAppender<ILoggingEvent> audit = new ListAppender<>();
        audit.start();
        Logger logger = (Logger) LoggerFactory.getLogger(AuthService.AUDIT_LOGGER);
        logger.addAppender(audit);
        try (RawClient c = connect()) {
            pass(c, "wrong");
            pass(c, PASSWORD);
        } finally {
            logger.detachAppender(audit);
        }
        assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "login: user=<alice@example.test>, ip=[127.0.0.1], protocol=pop3, result=failure",
                "login: user=<alice@example.test>, ip=[127.0.0.1], protocol=pop3, result=success");
    }

    @Test
    void withSessionLocksASecondLoginGetsInUse() throws Exception {
        server = Pop3TestServer.start(work, settings(true, false, 20, DEFAULTS.idleTimeout()));
        try (RawClient one = connect(); RawClient two = connect()) {
            assertThat(pass(one, PASSWORD)).isEqualTo("+OK Logged in.");
            assertThat(pass(two, PASSWORD)).isEqualTo("-ERR [IN-USE] Mailbox is locked by another POP3 session.");
            assertThat(one.command("QUIT")).isEqualTo("+OK Logging out.");
            assertThat(one.readLine()).isNull();

            assertThat(pass(two, PASSWORD)).isEqualTo("+OK Logged in.");
        }
        try (RawClient three = connect()) {
            // "two" was dropped without QUIT: the lock went with its connection.
            awaitLoginPossible(three);
        }
    }

    /** The server notices a dropped connection asynchronously; retry until the lock is released. */
    private static void awaitLoginPossible(RawClient c) throws Exception {
        for (int i = 0; i < 200; i++) {
            String reply = pass(c, PASSWORD);
            if (reply.equals("+OK Logged in.")) {
                return;
            }
            assertThat(reply).startsWith("-ERR [IN-USE]");
            Thread.sleep(25);
        }
        throw new AssertionError("the mailbox stayed locked");
    }

    @Test
    void anUnreachableDirectoryIsSysTemp() throws Exception {
        server = Pop3TestServer.start(work);
        server.directory.close();
        try (RawClient c = connect()) {
            assertThat(pass(c, PASSWORD))
                    .isEqualTo("-ERR [SYS/TEMP] Authentication is temporarily unavailable, try again later.");
        }
    }

    @Test
    void aMailboxThatCannotBeOpenedIsSysTemp() throws Exception {
        server = Pop3TestServer.start(work);
        Files.createDirectories(server.maildir(ALICE).getParent());
        Files.writeString(server.maildir(ALICE), "not a directory");
        try (RawClient c = connect()) {
            assertThat(pass(c, PASSWORD)).isEqualTo("-ERR [SYS/TEMP] Cannot open the mailbox, try again later.");
        }
    }

    @Test
    void tooManyBadCommandsEndTheConnection() throws Exception {
        server = Pop3TestServer.start(work, settings(false, false, 3, DEFAULTS.idleTimeout()));
        try (RawClient c = connect()) {
            assertThat(c.command("BAD1")).isEqualTo("-ERR Unknown command.");
            assertThat(c.command("STAT")).isEqualTo("-ERR Not logged in.");
            assertThat(c.command("BAD3")).isEqualTo("-ERR Too many bad commands.");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void plaintextLoginsWithoutTlsWhenConfigured() throws Exception {
        server = Pop3TestServer.start(work, settings(false, true, 20, DEFAULTS.idleTimeout()));
        try (RawClient c = RawClient.plain(server.plainPort())) {
            c.readLine();
            assertThat(c.command("CAPA")).isEqualTo("+OK");
            assertThat(c.readMultiLine()).contains("STLS", "USER", "SASL PLAIN LOGIN");
            assertThat(pass(c, PASSWORD)).isEqualTo("+OK Logged in.");
        }
    }

    @Test
    void anIdleClientIsDisconnected() throws Exception {
        server = Pop3TestServer.start(work, settings(false, false, 20, Duration.ofMillis(300)));
        try (RawClient c = connect()) {
            assertThat(pass(c, PASSWORD)).isEqualTo("+OK Logged in.");
            assertThat(c.readLine()).isEqualTo("-ERR Disconnected for inactivity.");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void shutdownSaysGoodbyeWithSysTemp() throws Exception {
        server = Pop3TestServer.start(work);
        try (RawClient c = connect()) {
            Thread shutdown = new Thread(() -> server.listeners.shutdown(Duration.ofSeconds(10)));
            shutdown.start();
            assertThat(c.readLine()).isEqualTo("-ERR [SYS/TEMP] Server shutting down.");
            assertThat(c.readLine()).isNull();
            shutdown.join();
        }
    }

    static Pop3Settings settings(boolean lock, boolean plaintext, int maxBad, Duration idle) {
        return new Pop3Settings("pop.example.test", plaintext, maxBad, Pop3Settings.DEFAULT_MAX_AUTH_FAILURES, idle, lock);
    }
}

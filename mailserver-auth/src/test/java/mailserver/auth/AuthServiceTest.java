package mailserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import mailserver.auth.AuthService.Outcome;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.DirectoryConfig;
import mailserver.core.mail.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** AuthService over a real H2 directory, with the audit log captured. */
class AuthServiceTest {

    static final LoginThrottle.Settings SETTINGS =
            new LoginThrottle.Settings(Duration.ofSeconds(2), Duration.ofSeconds(15), 3, 10, Duration.ofMinutes(15));

    @TempDir
    Path dir;
    JdbcDirectory directory;
    AuthService auth;
    InetAddress client;
    final ListAppender<ILoggingEvent> audit = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        directory = JdbcDirectory.open(new DirectoryConfig(
                "jdbc:h2:file:" + dir + "/directory;MODE=MariaDB;DATABASE_TO_LOWER=TRUE", "sa", "", true, Duration.ZERO, 2));
        directory.addDomain("example.test", "");
        directory.addAccount(MailAddress.parse("alice@example.test"), "right".toCharArray(), 0, "Alice");
        auth = new AuthService(directory, new LoginThrottle(SETTINGS));
        client = InetAddress.getByName("192.0.2.10");
        audit.start();
        ((Logger) LoggerFactory.getLogger(AuthService.AUDIT_LOGGER)).addAppender(audit);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(AuthService.AUDIT_LOGGER)).detachAppender(audit);
        directory.close();
    }

    List<String> auditLines() {
        return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aRightPasswordLogsInWithoutDelay() {
        char[] password = "right".toCharArray();

        AuthService.Result result = auth.authenticate("alice@example.test", password, client, "pop3");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.account()).get().extracting(a -> a.maildir()).isEqualTo("example.test/alice/");
        assertThat(result.replyDelay()).isZero();
        assertThat(password).as("wiped").containsOnly('\0');
        assertThat(auditLines()).containsExactly(
                "login: user=<alice@example.test>, ip=[192.0.2.10], protocol=pop3, result=success");
    }

    @Test
    void aWrongPasswordFailsWithADelayAndNeverLogsThePassword() {
        AuthService.Result result = auth.authenticate("alice@example.test", "wrong-secret".toCharArray(), client, "imap");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.account()).isEmpty();
        assertThat(result.replyDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(auditLines()).containsExactly(
                "login: user=<alice@example.test>, ip=[192.0.2.10], protocol=imap, result=failure");
        assertThat(auditLines()).noneMatch(l -> l.contains("wrong-secret"));
    }

    @Test
    void unknownUsersFailLikeWrongPasswords() {
        AuthService.Result result = auth.authenticate("nobody@example.test", "right".toCharArray(), client, "smtp");

        assertThat(result).isEqualTo(new AuthService.Result(Outcome.FAILED, Optional.empty(), Duration.ofSeconds(2)));
    }

    @Test
    void afterTooManyFailuresEvenTheRightPasswordIsRefusedUnchecked() {
        for (int i = 0; i < 3; i++) {
            auth.authenticate("alice@example.test", "wrong".toCharArray(), client, "pop3");
        }

        AuthService.Result result = auth.authenticate("alice@example.test", "right".toCharArray(), client, "pop3");

        assertThat(result.outcome()).isEqualTo(Outcome.LOCKED_OUT);
        assertThat(result.replyDelay()).isEqualTo(SETTINGS.maxDelay());
        assertThat(auditLines()).last().asString().endsWith("result=locked-out");
    }

    @Test
    void controlCharactersInUserNamesCannotForgeAuditLines() {
        auth.authenticate("eve\r\nlogin: user=<alice>", "x".toCharArray(), client, "pop3");

        assertThat(auditLines()).singleElement().asString()
                .startsWith("login: user=<eve??login: user=<alice>>").doesNotContain("\n");
    }

    @Test
    void anUnreachableDirectoryIsUnavailableNotAFailure() {
        directory.close();

        AuthService.Result result = auth.authenticate("alice@example.test", "right".toCharArray(), client, "pop3");

        assertThat(result.outcome()).isEqualTo(Outcome.UNAVAILABLE);
        assertThat(result.replyDelay()).isZero();
    }
}

package mailserver.smtp.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import mailserver.auth.AuthService;
import mailserver.auth.LoginThrottle;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.DirectoryConfig;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.dkim.MessageSigner;
import mailserver.smtp.queue.BounceInjector;
import mailserver.smtp.queue.QueueEnvelope;
import mailserver.smtp.queue.QueueStore;
import mailserver.smtp.session.SmtpServices;
import mailserver.store.MailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DSNs take the same way as received mail, from the null sender: the real directory, Maildir and queue. */
class BounceDeliveryTest {

    private static final String DSN = "From: MAILER-DAEMON@mx.example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\nreport\r\n";

    @TempDir
    Path dir;

    private JdbcDirectory directory;
    private MailStore store;
    private final AtomicInteger queued = new AtomicInteger();
    private BounceInjector bounces;
    private Path report;

    @BeforeEach
    void wire() throws Exception {
        directory = JdbcDirectory.open(new DirectoryConfig("jdbc:h2:file:" + dir.resolve("db") + "/directory;MODE=MariaDB;DATABASE_TO_LOWER=TRUE",
                "sa", "", true, Duration.ofSeconds(30), 4));
        directory.addDomain("example.org", "");
        directory.addAccount(MailAddress.parse("alice@example.org"), "pw".toCharArray(), 0, "Alice");
        store = new MailStore("test.host");
        AuthService auth = new AuthService(directory, new LoginThrottle(LoginThrottle.Settings.DEFAULTS));
        SmtpServices services = SmtpServicesFactory.create(directory, store, dir.resolve("mail"), dir.resolve("data"), auth,
                MessageSigner.NONE,
                queued::incrementAndGet);
        bounces = SmtpServicesFactory.bounces(services, directory, "mx.example.org");
        report = Files.writeString(dir.resolve("report"), DSN);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        directory.close();
    }

    @Test
    void aLocalSenderGetsTheReportInItsInboxFromTheNullSender() throws Exception {
        bounces.inject("alice@example.org", report, false);

        List<String> inbox = files(dir.resolve("mail/example.org/alice/new"));
        assertThat(inbox).singleElement().isEqualTo("Return-Path: <>\r\nDelivered-To: alice@example.org\r\n" + DSN);
        assertThat(queued).hasValue(0);
    }

    @Test
    void aRemoteSenderGetsItThroughTheQueueWithTheNullSender() throws Exception {
        String id = bounces.inject("bob@remote.example", report, true);

        QueueEnvelope entry = new QueueStore(dir.resolve("data/queue")).read(id).orElseThrow();
        assertThat(entry.sender()).isEmpty();
        assertThat(entry.body()).isEqualTo("8BITMIME");
        assertThat(entry.recipients()).extracting(QueueEnvelope.QueueRecipient::address).containsExactly("bob@remote.example");
        assertThat(Files.readString(dir.resolve("data/queue/" + id + ".eml"))).isEqualTo(DSN);
        assertThat(queued).hasValue(1);
    }

    @Test
    void aLocalSenderThatNoLongerExistsLosesTheReportWithoutRetries() throws Exception {
        bounces.inject("gone@example.org", report, false);

        assertThat(dir.resolve("mail/example.org/gone")).doesNotExist();
    }

    private static List<String> files(Path folder) throws Exception {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}

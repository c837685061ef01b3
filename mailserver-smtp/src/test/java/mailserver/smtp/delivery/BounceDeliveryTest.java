package mailserver.smtp.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import mailserver.auth.AuthService;
import mailserver.auth.LoginThrottle;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.DirectoryConfig;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.command.DsnNotify;
import mailserver.smtp.command.DsnReturn;
import mailserver.smtp.command.MailParameters;
import mailserver.smtp.command.RcptParameters;
import mailserver.smtp.dkim.MessageSigner;
import mailserver.smtp.queue.BounceInjector;
import mailserver.smtp.queue.QueueEnvelope;
import mailserver.smtp.queue.QueueStore;
import mailserver.smtp.session.DeliveryResult;
import mailserver.smtp.session.Envelope;
import mailserver.smtp.session.Recipient;
import mailserver.smtp.session.SmtpServices;
import mailserver.store.MailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DSNs take the same way as received mail, from the null sender: the real directory, Maildir and
 * queue. Success DSNs for local delivery come out of the same sink.
 */
class BounceDeliveryTest {

    private static final String DSN = "From: MAILER-DAEMON@mx.example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\nreport\r\n";

    @TempDir
    Path dir;

    private JdbcDirectory directory;
    private MailStore store;
    private final AtomicInteger queued = new AtomicInteger();
    private BounceInjector bounces;
    private SmtpServices services;
    private Path report;

    @BeforeEach
    void wire() throws Exception {
        directory = JdbcDirectory.open(new DirectoryConfig("jdbc:h2:file:" + dir.resolve("db") + "/directory;MODE=MariaDB;DATABASE_TO_LOWER=TRUE",
                "sa", "", true, Duration.ofSeconds(30), 4));
        directory.addDomain("example.org", "");
        directory.addAccount(MailAddress.parse("alice@example.org"), "pw".toCharArray(), 0, "Alice");
        store = new MailStore("test.host");
        AuthService auth = new AuthService(directory, new LoginThrottle(LoginThrottle.Settings.DEFAULTS));
        directory.addAccount(MailAddress.parse("bob@example.org"), "pw".toCharArray(), 0, "Bob");
        services = SmtpServicesFactory.create(directory, store, dir.resolve("mail"), dir.resolve("data"), auth,
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

    @Test
    void aLocalCopyForNotifySuccessSendsTheSenderADeliveredReportWithTheHeaderOnly() throws Exception {
        DeliveryResult result = receive(Optional.of("bob@example.org"), Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE));

        assertThat(result.failures()).isEmpty();
        assertThat(files(dir.resolve("mail/example.org/alice/new"))).singleElement().asString().contains("Hi Alice");
        String report = files(dir.resolve("mail/example.org/bob/new")).get(0);
        assertThat(report).startsWith("Return-Path: <>\r\nDelivered-To: bob@example.org\r\n")
                .contains("From: MAILER-DAEMON@mx.example.org", "Subject: Successful Mail Delivery Report",
                        "Original-Envelope-Id: env-1", "Final-Recipient: rfc822; alice@example.org", "Action: delivered",
                        "Status: 2.0.0", "Content-Type: text/rfc822-headers", "Subject: hi")
                .doesNotContain("Hi Alice");
    }

    @Test
    void noReportWithoutNotifySuccessNorForTheNullSender() throws Exception {
        receive(Optional.of("bob@example.org"), Set.of());
        receive(Optional.of("bob@example.org"), Set.of(DsnNotify.FAILURE, DsnNotify.DELAY));
        receive(Optional.empty(), Set.of(DsnNotify.SUCCESS));

        assertThat(files(dir.resolve("mail/example.org/alice/new"))).hasSize(3);
        assertThat(dir.resolve("mail/example.org/bob")).doesNotExist();
        assertThat(queued).hasValue(0);
    }

    @Test
    void aRemoteSenderGetsTheDeliveredReportThroughTheQueue() throws Exception {
        receive(Optional.of("carol@remote.example"), Set.of(DsnNotify.SUCCESS));

        assertThat(queued).hasValue(1);
        assertThat(dir.resolve("mail/example.org/alice/new")).isNotEmptyDirectory();
    }

    @Test
    void aReportThatCannotBeSentDoesNotFailTheDelivery() throws Exception {
        Path queue = dir.resolve("data/queue");
        try (Stream<Path> walk = Files.walk(queue)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(queue, "not a folder: the queue write of the report fails");

        DeliveryResult result = receive(Optional.of("carol@remote.example"), Set.of(DsnNotify.SUCCESS));

        assertThat(result.failures()).isEmpty();
        assertThat(files(dir.resolve("mail/example.org/alice/new"))).hasSize(1);
        assertThat(queued).hasValue(0);
    }

    /** A message to alice as received over SMTP with {@code RET=FULL ENVID=env-1}. */
    private DeliveryResult receive(Optional<String> sender, Set<DsnNotify> notify) throws IOException {
        Path message = Files.writeString(dir.resolve("message"), "From: bob@example.org\r\nSubject: hi\r\n\r\nHi Alice\r\n");
        MailParameters parameters = new MailParameters(OptionalLong.empty(), Optional.empty(), false,
                Optional.empty(), Optional.of(DsnReturn.FULL), Optional.of("env-1"));
        Envelope envelope = new Envelope("Q" + System.nanoTime(), sender.map(MailAddress::parse), parameters,
                List.of(new Recipient(MailAddress.parse("alice@example.org"), new RcptParameters(notify, Optional.empty()), true)),
                "client.example", new InetSocketAddress(InetAddress.getLoopbackAddress(), 2525), Optional.empty(),
                Optional.empty(), Instant.now());
        return services.sink().deliver(envelope, message);
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

package mailserver.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import mailserver.core.mail.MailAddress;
import mailserver.core.net.NetworkRange;
import mailserver.smtp.reply.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the session asks the SPF/DKIM/DMARC checks and what it does with their answers. */
class SessionChecksTest {

    private static final String MESSAGE = "From: a@remote.example\r\nSubject: hi\r\n\r\nbody\r\n.\r\n";

    @TempDir
    Path spool;

    private final FakeServices fakes = new FakeServices();
    private final FakeChecks checks = new FakeChecks();

    /** Records what it was asked; answers what the test sets. */
    private static final class FakeChecks implements MessageChecks {
        final List<String> begun = new CopyOnWriteArrayList<>();
        Reply mailRefusal;
        CheckVerdict verdict = new CheckVerdict(null, false, "spf=pass, dkim=none, dmarc=none");

        @Override
        public TransactionChecks begin(String listenerName, InetSocketAddress client, String helo, Optional<MailAddress> sender) {
            begun.add(listenerName + " " + client.getAddress().getHostAddress() + " " + helo + " "
                    + sender.map(MailAddress::toString).orElse("<>"));
            return new TransactionChecks() {
                @Override
                public Reply refusal() {
                    return mailRefusal;
                }

                @Override
                public String log() {
                    return "spf=fail";
                }

                @Override
                public CheckVerdict endOfData(String queueId, Path message) {
                    try {
                        String content = Files.readString(message);
                        int afterReceived = content.indexOf("\r\nFrom:") + 2;
                        Files.writeString(message, content.substring(0, afterReceived) + "X-Checked: yes\r\n"
                                + content.substring(afterReceived));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return verdict;
                }
            };
        }
    }

    private SessionDriver mx(String clientIp, List<NetworkRange> relayNetworks) {
        return new SessionDriver(SmtpListenerSettings.mx("mx.example.org").withRelayNetworks(relayNetworks),
                fakes.services(spool).withChecks(checks), clientIp);
    }

    @Test
    void aStrangersMessageIsCheckedAndItsRewrittenFileDelivered() {
        SessionDriver c = mx("192.0.2.1", List.of());
        c.send("EHLO client.example");
        assertThat(c.send("MAIL FROM:<a@remote.example>")).startsWith("250");
        assertThat(checks.begun).containsExactly("smtp 192.0.2.1 client.example a@remote.example");
        c.send("RCPT TO:<alice@example.org>");
        assertThat(c.data(MESSAGE)).startsWith("250 2.0.0 Ok: queued as");

        assertThat(fakes.delivered).singleElement().satisfies(d -> {
            assertThat(d.envelope().quarantine()).isFalse();
            assertThat(d.content()).startsWith("Received: from client.example").contains("\r\nX-Checked: yes\r\nFrom: a@remote.example\r\n");
        });
    }

    @Test
    void theNullSenderIsCheckedToo() {
        SessionDriver c = mx("192.0.2.1", List.of());
        c.send("HELO client.example");
        assertThat(c.send("MAIL FROM:<>")).startsWith("250");
        assertThat(checks.begun).containsExactly("smtp 192.0.2.1 client.example <>");
    }

    @Test
    void aRefusalAtMailFromStartsNoTransaction() {
        checks.mailRefusal = Reply.of(550, "5.7.23", "Message rejected due to SPF fail: not allowed");
        SessionDriver c = mx("192.0.2.1", List.of());
        c.send("EHLO client.example");
        assertThat(c.send("MAIL FROM:<a@remote.example>")).isEqualTo("550 5.7.23 Message rejected due to SPF fail: not allowed");
        assertThat(c.send("RCPT TO:<alice@example.org>")).isEqualTo("503 5.5.1 Need MAIL command");
    }

    @Test
    void aRefusedMessageIsNotDelivered() {
        checks.verdict = new MessageChecks.CheckVerdict(Reply.of(550, "5.7.1", "Message rejected per the DMARC policy of remote.example"),
                false, "spf=fail, dmarc=fail (reject)");
        SessionDriver c = mx("192.0.2.1", List.of());
        c.send("EHLO client.example");
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        assertThat(c.data(MESSAGE)).isEqualTo("550 5.7.1 Message rejected per the DMARC policy of remote.example");
        assertThat(fakes.delivered).isEmpty();
        assertThat(c.send("MAIL FROM:<a@remote.example>")).as("the session goes on").startsWith("250");
    }

    @Test
    void aQuarantinedMessageIsMarkedForTheSink() {
        checks.verdict = new MessageChecks.CheckVerdict(null, true, "dmarc=fail (quarantine)");
        SessionDriver c = mx("192.0.2.1", List.of());
        c.send("EHLO client.example");
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        c.bdat("From: a@remote.example\r\n\r\nbody\r\n", true);
        assertThat(fakes.delivered).singleElement().satisfies(d -> assertThat(d.envelope().quarantine()).isTrue());
    }

    @Test
    void relayNetworksAndAuthenticatedClientsAreNotChecked() {
        SessionDriver trusted = mx("192.0.2.1", List.of(NetworkRange.parse("192.0.2.0/24")));
        trusted.send("EHLO client.example");
        assertThat(trusted.send("MAIL FROM:<a@remote.example>")).startsWith("250");

        SessionDriver user = new SessionDriver(SmtpListenerSettings.mx("mx.example.org").withRelayNetworks(List.of())
                .withoutStartTls().withAuth(true, false, false), fakes.services(spool).withChecks(checks), "198.51.100.7");
        user.send("EHLO client.example");
        assertThat(user.send("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString("\0alice@example.org\0secret".getBytes())))
                .startsWith("235");
        assertThat(user.send("MAIL FROM:<alice@example.org>")).startsWith("250");
        user.send("RCPT TO:<bob@example.org>");
        assertThat(user.data(MESSAGE)).startsWith("250");

        assertThat(checks.begun).isEmpty();
        assertThat(fakes.delivered).singleElement().satisfies(d -> assertThat(d.content()).doesNotContain("X-Checked"));
    }
}

package mailserver.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mailserver.core.config.OutboundConfig;
import mailserver.core.config.OutboundConfig.NextHop;
import mailserver.core.config.OutboundConfig.TlsPolicy;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;
import mailserver.smtp.outbound.RecipientOutcome.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The SMTP client against scripted servers on 127.0.0.2 and 127.0.0.3 (MX records from the
 * loopback DNS server): per-recipient outcomes, fallback to the next MX, local refusals, pipelining,
 * timeouts, dot-stuffing, connection reuse and AUTH to a relayhost.
 */
class SmtpTransportTest {

    static TestDnsServer dns;
    static DnsResolver resolver;

    @TempDir
    Path dir;
    FakeSmtpServer mx1;
    FakeSmtpServer mx2;
    final List<SmtpTransport> transports = new ArrayList<>();

    @BeforeAll
    static void startDns() throws Exception {
        dns = TestDnsServer.start();
        resolver = OutboundTestConfigs.resolver(dns);
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @BeforeEach
    void servers() throws IOException {
        dns.clear();
        mx1 = FakeSmtpServer.start("127.0.0.2", 0);
        mx2 = FakeSmtpServer.start("127.0.0.3", mx1.port());
        dns.add("example.test", Type.MX, "10 mx1.example.test.");
        dns.add("example.test", Type.MX, "20 mx2.example.test.");
        dns.add("mx1.example.test", Type.A, "127.0.0.2");
        dns.add("mx2.example.test", Type.A, "127.0.0.3");
    }

    @AfterEach
    void stop() throws IOException {
        transports.forEach(SmtpTransport::close);
        mx1.close();
        mx2.close();
    }

    @Test
    void eachRecipientGetsItsOwnOutcome() throws Exception {
        mx1.replies.put("RCPT TO:<UNKNOWN@", "550 5.1.1 <unknown@example.test>: Recipient address rejected: User unknown");
        mx1.replies.put("RCPT TO:<FULL@", "452 4.2.2 Mailbox full");

        List<RecipientOutcome> outcomes = deliver(transport(TlsPolicy.MAY),
                message("a@example.test", "unknown@example.test", "full@example.test"));

        String relay = "mx1.example.test[127.0.0.2]:" + mx1.port();
        assertThat(outcomes).containsExactly(
                new RecipientOutcome("a@example.test", Status.SENT, relay, "2.0.0", "250 2.0.0 Ok: queued as FAKE1", true, true),
                new RecipientOutcome("unknown@example.test", Status.BOUNCED, relay, "5.1.1",
                        "550 5.1.1 <unknown@example.test>: Recipient address rejected: User unknown", true, false),
                new RecipientOutcome("full@example.test", Status.DEFERRED, relay, "4.2.2", "452 4.2.2 Mailbox full", true, false));
        assertThat(mx2.sessions).isEmpty();
    }

    @Test
    void dsnParametersGoToAServerThatOffersDsn() throws Exception {
        OutboundMessage message = new OutboundMessage("Q1", "example.test", "sender@origin.test",
                List.of(new OutboundRecipient("a@example.test", List.of("SUCCESS", "FAILURE"), "rfc822;A+x=y@example.test"),
                        new OutboundRecipient("b@example.test", List.of(), null)),
                file("Subject: dsn\r\n\r\nbody\r\n"), 22, false, false, "id 1+2", "HDRS");

        deliver(transport(TlsPolicy.MAY), message);

        assertThat(mx1.commands()).containsSubsequence(
                "MAIL FROM:<sender@origin.test> SIZE=22 RET=HDRS ENVID=id+201+2B2",
                "RCPT TO:<a@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;A+2Bx+3Dy@example.test",
                "RCPT TO:<b@example.test>",
                "DATA");

        mx1.extensions = List.of("PIPELINING");
        deliver(transport(TlsPolicy.MAY), message);

        assertThat(mx1.commands()).contains("MAIL FROM:<sender@origin.test>", "RCPT TO:<a@example.test>");
    }

    @Test
    void mailFromRefusalAppliesToEveryRecipient() throws Exception {
        mx1.replies.put("MAIL FROM:", "553 5.7.1 Sender rejected");
        assertThat(deliver(transport(TlsPolicy.MAY), message("a@example.test", "b@example.test")))
                .extracting(RecipientOutcome::status, RecipientOutcome::dsnCode, RecipientOutcome::diagnostic)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(Status.BOUNCED, "5.7.1", "553 5.7.1 Sender rejected"));

        mx1.replies.put("MAIL FROM:", "451 4.3.0 Try later");
        assertThat(deliver(transport(TlsPolicy.MAY), message("a@example.test")))
                .extracting(RecipientOutcome::status).containsExactly(Status.DEFERRED);
    }

    @Test
    void dataAndEndOfDataRefusalsApplyToTheAcceptedRecipients() throws Exception {
        mx1.replies.put("RCPT TO:<GONE@", "550 5.1.1 gone");
        mx1.replies.put("DATA", "554 5.5.1 No thanks");
        assertThat(deliver(transport(TlsPolicy.MAY), message("a@example.test", "gone@example.test")))
                .extracting(RecipientOutcome::status, RecipientOutcome::diagnostic)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Status.BOUNCED, "554 5.5.1 No thanks"),
                        org.assertj.core.groups.Tuple.tuple(Status.BOUNCED, "550 5.1.1 gone"));

        mx1.replies.remove("DATA");
        mx1.replies.put(".", "552 5.3.4 Message too big for me");
        assertThat(deliver(transport(TlsPolicy.MAY), message("a@example.test")))
                .extracting(RecipientOutcome::status, RecipientOutcome::dsnCode).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Status.BOUNCED, "5.3.4"));

        mx1.replies.put(".", "451 4.3.0 Queue file write error");
        assertThat(deliver(transport(TlsPolicy.MAY), message("a@example.test")))
                .extracting(RecipientOutcome::status, RecipientOutcome::diagnostic).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Status.DEFERRED, "451 4.3.0 Queue file write error"));
    }

    @Test
    void noDataWhenEveryRecipientWasRefused() throws Exception {
        mx1.extensions = List.of("8BITMIME");
        mx1.replies.put("RCPT TO:", "550 5.1.1 no");

        assertThat(deliver(transport(TlsPolicy.MAY), message("a@example.test")))
                .extracting(RecipientOutcome::status).containsExactly(Status.BOUNCED);
        assertThat(mx1.commands()).doesNotContain("DATA");
        assertThat(mx1.messages()).isEmpty();
    }

    @Test
    void greeting421SendsTheMailToTheNextMx() throws Exception {
        mx1.greeting = "421 4.3.2 Service shutting down";

        List<RecipientOutcome> outcomes = deliver(transport(TlsPolicy.MAY), message("a@example.test"));

        assertThat(outcomes.get(0).status()).isEqualTo(Status.SENT);
        assertThat(outcomes.get(0).relay()).isEqualTo("mx2.example.test[127.0.0.3]:" + mx1.port());
        assertThat(mx2.messages()).hasSize(1);
    }

    @Test
    void whenNoMxTakesTheMailTheLastErrorDefersIt() throws Exception {
        mx1.greeting = "554 5.7.1 You are not welcome";
        mx2.close();

        RecipientOutcome outcome = deliver(transport(TlsPolicy.MAY), message("a@example.test")).get(0);

        assertThat(outcome.status()).isEqualTo(Status.DEFERRED);
        assertThat(outcome.dsnCode()).isEqualTo("4.4.1");
        assertThat(outcome.relay()).isEqualTo("none");
        assertThat(outcome.diagnostic()).startsWith("connect to mx2.example.test[127.0.0.3]:" + mx1.port() + ": ")
                .contains("refused").as("the address once, not again after Netty's message").doesNotContain("/127.0.0.3");

        dns.remove("mx2.example.test");
        outcome = deliver(transport(TlsPolicy.MAY), message("a@example.test")).get(0);
        assertThat(outcome).isEqualTo(new RecipientOutcome("a@example.test", Status.DEFERRED,
                "mx1.example.test[127.0.0.2]:" + mx1.port(), "4.7.1", "554 5.7.1 You are not welcome", true, false));
    }

    @Test
    void ehloRefusedFallsBackToHelo() throws Exception {
        mx1.replies.put("EHLO", "502 5.5.2 Error: command not recognized");

        assertThat(deliver(transport(TlsPolicy.MAY), message("a@example.test")).get(0).status()).isEqualTo(Status.SENT);
        assertThat(mx1.commands()).containsSubsequence("EHLO client.example.test", "HELO client.example.test",
                "MAIL FROM:<sender@origin.test>");
    }

    @Test
    void requiredTlsThatIsNotOfferedDefers() throws Exception {
        RecipientOutcome outcome = deliver(transport(TlsPolicy.ENCRYPT), message("a@example.test")).get(0);

        assertThat(outcome.status()).isEqualTo(Status.DEFERRED);
        assertThat(outcome.dsnCode()).isEqualTo("4.7.4");
        assertThat(outcome.diagnostic()).isEqualTo("TLS is required, but was not offered by host mx2.example.test[127.0.0.3]:"
                + mx1.port());
        assertThat(mx1.commands()).noneMatch(c -> c.startsWith("MAIL"));
        assertThat(mx1.messages()).isEmpty();
    }

    @Test
    void opportunisticTlsGoesOnInCleartextWhenStartTlsFails() throws Exception {
        mx1.extensions = List.of("STARTTLS", "8BITMIME");
        mx1.replies.put("STARTTLS", "454 4.7.0 TLS not available due to local problem");

        assertThat(deliver(transport(TlsPolicy.MAY), message("a@example.test")).get(0).status()).isEqualTo(Status.SENT);
        assertThat(mx1.commands()).containsSubsequence("STARTTLS", "MAIL FROM:<sender@origin.test>");
    }

    @Test
    void tooBigForTheServerBouncesWithoutTrying() throws Exception {
        mx1.extensions = List.of("SIZE 10", "8BITMIME");

        RecipientOutcome outcome = deliver(transport(TlsPolicy.MAY), message("a@example.test")).get(0);

        assertThat(outcome.status()).isEqualTo(Status.BOUNCED);
        assertThat(outcome.dsnCode()).isEqualTo("5.3.4");
        assertThat(outcome.diagnostic()).isEqualTo("message size 15 exceeds size limit 10 of server mx1.example.test[127.0.0.2]:"
                + mx1.port());
        assertThat(mx1.commands()).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void eightBitDataOnlyToAServerThatOffers8BitMime() throws Exception {
        mx1.extensions = List.of("PIPELINING");
        Path eightBit = file("Subject: caf\u00e9\r\n\r\nna\u00efve\r\n");

        RecipientOutcome outcome = deliver(transport(TlsPolicy.MAY), message(eightBit, false, "a@example.test")).get(0);
        assertThat(outcome.status()).isEqualTo(Status.BOUNCED);
        assertThat(outcome.dsnCode()).isEqualTo("5.6.3");
        assertThat(outcome.diagnostic()).startsWith("8-bit data not accepted by the next hop");

        // Marked 8BITMIME but 7-bit in fact: still refused, the client said so.
        assertThat(deliver(transport(TlsPolicy.MAY), message(file("7bit\r\n"), true, "a@example.test")).get(0).dsnCode())
                .isEqualTo("5.6.3");

        assertThat(deliver(transport(TlsPolicy.MAY), message("a@example.test")).get(0).status()).isEqualTo(Status.SENT);
        assertThat(mx1.commands()).contains("MAIL FROM:<sender@origin.test>");

        mx1.extensions = List.of("8BITMIME");
        assertThat(deliver(transport(TlsPolicy.MAY), message(eightBit, false, "a@example.test")).get(0).status())
                .isEqualTo(Status.SENT);
        assertThat(mx1.commands()).contains("MAIL FROM:<sender@origin.test> BODY=8BITMIME");
        assertThat(mx1.messages().get(mx1.messages().size() - 1)).isEqualTo(Files.readAllBytes(eightBit));
    }

    @Test
    void smtpUtf8MailNeedsAServerThatOffersIt() throws Exception {
        Path content = file("Subject: gr\u00fc\u00dfe\r\n\r\nhi\r\n");
        OutboundMessage message = new OutboundMessage("Q1", "example.test", "j\u00fcrgen@origin.test",
                List.of(new OutboundRecipient("a@example.test", List.of(), null)), content, Files.size(content), true, true,
                null, null);

        assertThat(deliver(transport(TlsPolicy.MAY), message).get(0).status()).isEqualTo(Status.SENT);
        assertThat(mx1.commands()).contains("MAIL FROM:<j\u00fcrgen@origin.test> SIZE=" + Files.size(content)
                + " BODY=8BITMIME SMTPUTF8");

        mx1.extensions = List.of("8BITMIME", "PIPELINING");
        RecipientOutcome outcome = deliver(transport(TlsPolicy.MAY), message).get(0);
        assertThat(outcome.status()).isEqualTo(Status.BOUNCED);
        assertThat(outcome.dsnCode()).isEqualTo("5.6.7");
        assertThat(outcome.diagnostic()).startsWith("SMTPUTF8 is required, but was not offered by host mx1.example.test");
    }

    @Test
    void pipeliningSendsMailRcptAndDataInOneGo() throws Exception {
        // Answers MAIL and RCPT only after DATA: a client waiting for each reply would time out.
        mx1.holdRepliesUntilData = true;
        mx1.replies.put("RCPT TO:<B@", "550 5.1.1 no b");

        List<RecipientOutcome> outcomes = deliver(transport(TlsPolicy.MAY), message("a@example.test", "b@example.test",
                "c@example.test"));

        assertThat(outcomes).extracting(RecipientOutcome::status).containsExactly(Status.SENT, Status.BOUNCED, Status.SENT);
        assertThat(mx1.commands()).containsSubsequence("MAIL FROM:<sender@origin.test> SIZE=15", "RCPT TO:<a@example.test>",
                "RCPT TO:<b@example.test>", "RCPT TO:<c@example.test>", "DATA");
    }

    @Test
    void withoutPipeliningOneCommandAtATime() throws Exception {
        mx1.extensions = List.of("8BITMIME");
        mx1.holdRepliesUntilData = true;
        dns.remove("mx2.example.test");

        RecipientOutcome outcome = deliver(transport(TlsPolicy.MAY, Duration.ofMillis(300)), message("a@example.test")).get(0);

        // It waited for the MAIL reply as it must, which this server never sends before DATA.
        assertThat(outcome.status()).isEqualTo(Status.DEFERRED);
        assertThat(outcome.dsnCode()).isEqualTo("4.4.2");
        assertThat(outcome.diagnostic()).contains("timed out while sending MAIL FROM");
        assertThat(mx1.commands()).doesNotContain("RCPT TO:<a@example.test>");
    }

    @Test
    void aSilentServerTimesOutAtEachStage() throws Exception {
        mx1.replies.put("RCPT TO:", "");
        mx2.greeting = "";

        RecipientOutcome outcome = deliver(transport(TlsPolicy.MAY, Duration.ofMillis(300)), message("a@example.test")).get(0);

        assertThat(outcome.status()).isEqualTo(Status.DEFERRED);
        assertThat(outcome.dsnCode()).isEqualTo("4.4.2");
        assertThat(outcome.diagnostic()).isEqualTo("conversation with mx2.example.test[127.0.0.3]:" + mx1.port()
                + " timed out while receiving the initial server greeting");

        mx2.close();
        dns.remove("mx2.example.test");
        outcome = deliver(transport(TlsPolicy.MAY, Duration.ofMillis(300)), message("a@example.test")).get(0);
        assertThat(outcome.diagnostic()).isEqualTo("conversation with mx1.example.test[127.0.0.2]:" + mx1.port()
                + " timed out while sending RCPT TO");

        mx1.replies.remove("RCPT TO:");
        mx1.replies.put(".", "");
        outcome = deliver(transport(TlsPolicy.MAY, Duration.ofMillis(300)), message("a@example.test")).get(0);
        assertThat(outcome.status()).isEqualTo(Status.DEFERRED);
        assertThat(outcome.diagnostic()).isEqualTo("conversation with mx1.example.test[127.0.0.2]:" + mx1.port()
                + " timed out while sending end of data -- message may be sent more than once");
    }

    @Test
    void dotStuffingIsByteExact() throws Exception {
        String content = "Subject: dots\r\n\r\n.\r\n..two\r\n.one\r\nmiddle . dot\r\n. space\r\n.";
        mx1.extensions = List.of("8BITMIME");

        deliver(transport(TlsPolicy.MAY), message(file(content), false, "a@example.test"));

        assertThat(new String(mx1.messages().get(0), StandardCharsets.US_ASCII))
                .isEqualTo("Subject: dots\r\n\r\n..\r\n...two\r\n..one\r\nmiddle . dot\r\n.. space\r\n..\r\n");
    }

    @Test
    void aLargeMessageArrivesWhole() throws Exception {
        StringBuilder content = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; content.length() < 3 * DotStuffedMessage.CHUNK_SIZE; i++) {
            content.append(i % 7 == 0 ? "." : "").append("line ").append(i).append("\r\n");
        }
        Path file = file(content.toString());

        deliver(transport(TlsPolicy.MAY), message(file, false, "a@example.test"));

        assertThat(new String(mx1.messages().get(0), StandardCharsets.US_ASCII))
                .isEqualTo(content.toString().replace("\r\n.", "\r\n.."));
    }

    @Test
    void theNextMessageReusesTheConnection() throws Exception {
        SmtpTransport transport = transport(TlsPolicy.MAY);
        deliver(transport, message("a@example.test"));
        deliver(transport, message("b@example.test"));

        assertThat(mx1.sessions).hasSize(1);
        assertThat(mx1.sessions.get(0).messages).hasSize(2);
        assertThat(mx1.commands()).containsSubsequence("RCPT TO:<a@example.test>", "RSET", "MAIL FROM:<sender@origin.test> SIZE=15",
                "RCPT TO:<b@example.test>");

        transport.close();
        waitFor(() -> mx1.commands().contains("QUIT"));
    }

    @Test
    void aCachedConnectionTheServerClosedIsReplacedByANewOne() throws Exception {
        SmtpTransport transport = transport(TlsPolicy.MAY);
        deliver(transport, message("a@example.test"));
        // The server restarts: the cached connection drops.
        mx1.dropConnections();

        assertThat(deliver(transport, message("b@example.test")).get(0).status()).isEqualTo(Status.SENT);
        assertThat(mx1.sessions).hasSize(2);
        assertThat(mx1.sessions.get(1).messages).hasSize(1);
    }

    @Test
    void loginToTheRelayhost() throws Exception {
        mx1.extensions = List.of("PIPELINING", "AUTH PLAIN LOGIN", "8BITMIME");
        mx1.username = "mailer";
        mx1.password = "s3cret";

        assertThat(deliver(relayhost(true, "s3cret"), message("a@elsewhere.test")).get(0).status()).isEqualTo(Status.SENT);
        assertThat(mx1.sessions.get(0).authenticated).isEqualTo("mailer");
        assertThat(mx1.commands()).anyMatch(c -> c.startsWith("AUTH PLAIN "));

        mx1.extensions = List.of("AUTH LOGIN", "8BITMIME");
        assertThat(deliver(relayhost(true, "s3cret"), message("a@elsewhere.test")).get(0).status()).isEqualTo(Status.SENT);
        assertThat(mx1.sessions.get(1).authenticated).isEqualTo("mailer");
        assertThat(mx1.commands()).contains("AUTH LOGIN");

        RecipientOutcome wrong = deliver(relayhost(true, "wrong"), message("a@elsewhere.test")).get(0);
        assertThat(wrong).isEqualTo(new RecipientOutcome("a@elsewhere.test", Status.DEFERRED,
                "relay.test[127.0.0.2]:" + mx1.port(), "4.7.8", "535 5.7.8 Error: authentication failed", true, false));
    }

    @Test
    void noPasswordOverCleartextUnlessAllowed() throws Exception {
        mx1.extensions = List.of("AUTH PLAIN", "8BITMIME");

        RecipientOutcome outcome = deliver(relayhost(false, "s3cret"), message("a@elsewhere.test")).get(0);

        assertThat(outcome.status()).isEqualTo(Status.DEFERRED);
        assertThat(outcome.dsnCode()).isEqualTo("4.7.0");
        assertThat(outcome.diagnostic()).contains("over a connection without TLS");
        assertThat(mx1.commands()).noneMatch(c -> c.startsWith("AUTH"));
    }

    // ---- helpers

    private SmtpTransport transport(TlsPolicy tls) {
        return transport(tls, OutboundTestConfigs.SHORT);
    }

    private SmtpTransport transport(TlsPolicy tls, Duration timeout) {
        OutboundConfig.Timeouts timeouts = new OutboundConfig.Timeouts(timeout, timeout, timeout, timeout, timeout, timeout);
        return track(new SmtpTransport(new OutboundConfig("client.example.test", mx1.port(), tls, null, Map.of(),
                Duration.ofSeconds(5), timeouts), resolver));
    }

    private SmtpTransport relayhost(boolean allowPlaintext, String password) {
        dns.add("relay.test", Type.A, "127.0.0.2");
        OutboundConfig.Relayhost relayhost = new OutboundConfig.Relayhost(new NextHop("relay.test", false, mx1.port()),
                TlsPolicy.MAY, "mailer", password, allowPlaintext);
        return track(new SmtpTransport(new OutboundConfig("client.example.test", 25, TlsPolicy.MAY, relayhost, Map.of(),
                Duration.ZERO, OutboundTestConfigs.TIMEOUTS), resolver));
    }

    private SmtpTransport track(SmtpTransport transport) {
        transports.add(transport);
        return transport;
    }

    private OutboundMessage message(String... recipients) throws IOException {
        return message(file("Subject: hi\r\n\r\n"), false, recipients);
    }

    private OutboundMessage message(Path content, boolean eightBit, String... recipients) throws IOException {
        String domain = recipients[0].substring(recipients[0].indexOf('@') + 1);
        return new OutboundMessage("Q1", domain, "sender@origin.test",
                List.of(recipients).stream().map(r -> new OutboundRecipient(r, List.of(), null)).toList(),
                content, Files.size(content), eightBit, false, null, null);
    }

    private Path file(String content) throws IOException {
        return Files.write(Files.createTempFile(dir, "msg", ".eml"), content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<RecipientOutcome> deliver(SmtpTransport transport, OutboundMessage message) throws Exception {
        return transport.deliver(message).get(30, TimeUnit.SECONDS);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}

package mailserver.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mailserver.core.config.DnsConfig;
import mailserver.core.config.OutboundConfig;
import mailserver.core.config.OutboundConfig.TlsPolicy;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;
import mailserver.smtp.outbound.OutboundMessage;
import mailserver.smtp.outbound.OutboundRecipient;
import mailserver.smtp.outbound.RecipientOutcome;
import mailserver.smtp.outbound.RecipientOutcome.Status;
import mailserver.smtp.outbound.SmtpTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The outbound client delivering to a second instance of this server (real directory, real
 * Maildir) on 127.0.0.2, found through its MX record, over required STARTTLS: the Maildir copy
 * is the sent bytes after the headers the receiving server adds.
 */
class OutboundToRealServerTest {

    @TempDir
    static Path dir;
    static RealServer server;
    static TestDnsServer dns;
    static SmtpTransport transport;

    @BeforeAll
    static void start() throws Exception {
        server = new RealServer(dir.resolve("server"), true, "127.0.0.2");
        dns = TestDnsServer.start();
        dns.add("example.org", Type.MX, "10 mx.example.org.");
        dns.add("mx.example.org", Type.A, "127.0.0.2");
        Duration timeout = Duration.ofSeconds(10);
        OutboundConfig config = new OutboundConfig("client.example.test", server.port("smtp"), TlsPolicy.ENCRYPT, null,
                Map.of(), Duration.ofSeconds(5), new OutboundConfig.Timeouts(timeout, timeout, timeout, timeout, timeout,
                timeout));
        transport = new SmtpTransport(config,
                new DnsResolver(new DnsConfig(List.of(dns.address()), Duration.ofSeconds(1), 0, false)));
    }

    @AfterAll
    static void stop() {
        transport.close();
        dns.close();
        server.close();
    }

    @Test
    void theMaildirCopyIsTheSentMessageAfterTheReceivingHeaders() throws Exception {
        String content = "From: Sender <sender@origin.test>\r\nTo: alice@example.org, bob@example.org\r\n"
                + "Subject: outbound\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n"
                + "Gr\u00fc\u00dfe\r\n.a line that starts with a dot\r\n..and two\r\n.\r\nlast line\r\n";
        Path file = Files.write(dir.resolve("message.eml"), content.getBytes(StandardCharsets.UTF_8));
        OutboundMessage message = new OutboundMessage("Q1", "example.org", "sender@origin.test",
                List.of(new OutboundRecipient("alice@example.org", List.of("FAILURE"), "rfc822;alice@example.org"),
                        new OutboundRecipient("nobody@example.org", List.of(), null),
                        new OutboundRecipient("bob@example.org", List.of(), null)),
                file, Files.size(file), true, false, "env-1", "HDRS");
        Map<String, List<Path>> before = Map.of("alice@example.org", server.inbox("alice@example.org"),
                "bob@example.org", server.inbox("bob@example.org"));

        List<RecipientOutcome> outcomes = transport.deliver(message).get(30, TimeUnit.SECONDS);

        String relay = "mx.example.org[127.0.0.2]:" + server.port("smtp");
        assertThat(outcomes).extracting(RecipientOutcome::address, RecipientOutcome::status, RecipientOutcome::relay)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alice@example.org", Status.SENT, relay),
                        org.assertj.core.groups.Tuple.tuple("nobody@example.org", Status.BOUNCED, relay),
                        org.assertj.core.groups.Tuple.tuple("bob@example.org", Status.SENT, relay));
        assertThat(outcomes.get(0).diagnostic()).startsWith("250 2.0.0 ");
        assertThat(outcomes.get(1).dsnCode()).isEqualTo("5.1.1");
        assertThat(outcomes.get(1).remoteDiagnostic()).isTrue();

        for (Map.Entry<String, List<Path>> account : before.entrySet()) {
            List<Path> added = newFiles(account.getKey(), account.getValue());
            assertThat(added).hasSize(1);
            String delivered = Files.readString(added.get(0), StandardCharsets.UTF_8);
            assertThat(delivered).endsWith("\r\n" + content).startsWith("Return-Path: <sender@origin.test>\r\n");
            String headers = delivered.substring(0, delivered.length() - content.length());
            assertThat(headers).contains("Received: from client.example.test").contains("with ESMTPS");
        }
    }

    @Test
    void throughTheSubmissionPortsAsRelayhostWithLogin() throws Exception {
        Path file = Files.write(dir.resolve("submitted.eml"), "Subject: submitted\r\n\r\nvia relayhost\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        OutboundMessage message = new OutboundMessage("Q3", "example.org", "alice@example.org",
                List.of(new OutboundRecipient("bob@example.org", List.of(), null)), file, Files.size(file), false, false,
                null, null);
        List<Path> before = server.inbox("bob@example.org");

        // 465: TLS from the first byte; 587: STARTTLS, and AUTH only offered after it.
        for (OutboundConfig.Relayhost relayhost : List.of(
                new OutboundConfig.Relayhost(new OutboundConfig.NextHop("127.0.0.2", false, server.port("submissions")),
                        TlsPolicy.IMPLICIT, "alice@example.org", RealServer.PASSWORD, false),
                new OutboundConfig.Relayhost(new OutboundConfig.NextHop("127.0.0.2", false, server.port("submission")),
                        TlsPolicy.MAY, "alice@example.org", RealServer.PASSWORD, false))) {
            Duration timeout = Duration.ofSeconds(10);
            OutboundConfig config = new OutboundConfig("client.example.test", 25, TlsPolicy.MAY, relayhost, Map.of(),
                    Duration.ZERO, new OutboundConfig.Timeouts(timeout, timeout, timeout, timeout, timeout, timeout));
            try (SmtpTransport submitting = new SmtpTransport(config,
                    new DnsResolver(new DnsConfig(List.of(dns.address()), Duration.ofSeconds(1), 0, false)))) {
                assertThat(submitting.deliver(message).get(30, TimeUnit.SECONDS)).extracting(RecipientOutcome::status)
                        .as(relayhost.tls().toString()).containsExactly(Status.SENT);
            }
        }

        List<Path> added = newFiles("bob@example.org", before);
        assertThat(added).hasSize(2).allSatisfy(copy -> assertThat(Files.readString(copy))
                .contains("with ESMTPSA").endsWith("\r\nvia relayhost\r\n"));
    }

    @Test
    void theNullSenderAndASecondMessageOverTheSameConnection() throws Exception {
        Path file = Files.write(dir.resolve("bounce.eml"), "Subject: bounce\r\n\r\nreturned\r\n".getBytes(StandardCharsets.US_ASCII));
        OutboundMessage bounce = new OutboundMessage("Q2", "example.org", "",
                List.of(new OutboundRecipient("carol@example.org", List.of(), null)), file, Files.size(file), false, false,
                null, null);

        assertThat(transport.deliver(bounce).get(30, TimeUnit.SECONDS)).extracting(RecipientOutcome::status)
                .containsExactly(Status.SENT);
        assertThat(transport.deliver(bounce).get(30, TimeUnit.SECONDS)).extracting(RecipientOutcome::status)
                .containsExactly(Status.SENT);

        List<Path> inbox = server.inbox("carol@example.org");
        assertThat(inbox).hasSize(2).allSatisfy(copy -> assertThat(Files.readString(copy)).startsWith("Return-Path: <>\r\n").endsWith("\r\nSubject: bounce\r\n\r\nreturned\r\n"));
    }

    /** What arrived in an INBOX since {@code before} (Maildir names do not sort by arrival within a second). */
    private static List<Path> newFiles(String account, List<Path> before) throws Exception {
        return server.inbox(account).stream().filter(file -> !before.contains(file)).toList();
    }
}

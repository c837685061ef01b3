package mailserver.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mailserver.smtp.session.FakeServices;

/** The server on real sockets: Angus Mail as the real client, and a raw socket for what clients never do. */
class SmtpServerTest {

    @TempDir
    Path dir;
    TestServer server;
    FakeServices fakes;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(dir);
        fakes = server.fakes;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- Angus Mail -------------------------------------------------------------------------

    private Properties angus(String listener) {
        return AngusMail.properties(server.port(listener));
    }

    private static String withoutReceived(String content) {
        assertThat(content).startsWith("Received: ");
        int end = content.indexOf("\r\n", content.indexOf("; ")) + 2;
        return content.substring(end);
    }

    @Test
    void angusSendsThroughStartTlsOnPort25() throws Exception {
        Properties p = angus("smtp");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        Session session = Session.getInstance(p);
        MimeMessage m = AngusMail.message(session, "sender@remote.example", "alice@example.org",
                "Hello Alice,\n.a line starting with a dot\n..two dots\n\nbye\n");
        Transport.send(m);

        assertThat(fakes.delivered).hasSize(1);
        String content = fakes.delivered.get(0).content();
        assertThat(content).contains("\t(using TLSv1.3 with cipher ").contains(" with ESMTPS id ")
                .contains("for <alice@example.org>");
        assertThat(withoutReceived(content)).isEqualTo(AngusMail.wireForm(m));
        assertThat(fakes.delivered.get(0).envelope().tls()).isPresent();
        try (var left = Files.list(server.spool)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void angusAuthenticatesOnSubmissionAfterStartTls() throws Exception {
        Properties p = angus("submission");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        MimeMessage m = AngusMail.message(session, "alice@example.org", "friend@elsewhere.example", "relayed for an authenticated user\n");
        Transport.send(m, "alice@example.org", "secret");

        assertThat(fakes.delivered).hasSize(1);
        var envelope = fakes.delivered.get(0).envelope();
        assertThat(envelope.authenticatedUser()).contains("alice@example.org");
        assertThat(envelope.recipients()).singleElement().satisfies(r -> assertThat(r.local()).isFalse());
        assertThat(fakes.delivered.get(0).content()).contains(" with ESMTPSA id ");
    }

    @Test
    void angusUsesImplicitTlsOnPort465() throws Exception {
        Properties p = angus("submissions");
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        Transport.send(AngusMail.message(session, "bob@example.org", "alice@example.org", "over implicit TLS\n"), "bob@example.org", "hunter2");

        assertThat(fakes.delivered).hasSize(1);
        assertThat(fakes.delivered.get(0).content()).contains(" with ESMTPSA id ").contains("(using TLSv1.");
    }

    @Test
    void angusWithAWrongPasswordFails() throws Exception {
        Properties p = angus("submissions");
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        MimeMessage m = AngusMail.message(session, "bob@example.org", "alice@example.org", "x\n");
        assertThatThrownBy(() -> Transport.send(m, "bob@example.org", "wrong")).isInstanceOf(AuthenticationFailedException.class);
        assertThat(fakes.delivered).isEmpty();
    }

    @Test
    void angusSeesRelayDeniedAndUnknownUser() throws Exception {
        Properties p = angus("smtp");
        Session session = Session.getInstance(p);
        assertThatThrownBy(() -> Transport.send(AngusMail.message(session, "a@remote.example", "x@elsewhere.example", "x\n")))
                .isInstanceOf(SendFailedException.class).hasStackTraceContaining("554 5.7.1 Relay access denied");
        assertThatThrownBy(() -> Transport.send(AngusMail.message(session, "a@remote.example", "nobody@example.org", "x\n")))
                .isInstanceOf(SendFailedException.class).hasStackTraceContaining("550 5.1.1 User unknown");
        assertThat(fakes.delivered).isEmpty();
    }

    // ---- raw sockets ------------------------------------------------------------------------

    private RawClient greeted(String listener) throws Exception {
        RawClient c = RawClient.plain(server.port(listener));
        assertThat(c.last()).isEqualTo("220 mx.example.org ESMTP ready");
        return c;
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (RawClient c = greeted("smtp")) {
            c.send("EHLO client.example\r\nMAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\n"
                    + "RCPT TO:<nobody@example.org>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n");
            assertThat(c.reply()).contains("250-PIPELINING", "250 HELP");
            assertThat(c.last()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.last()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.last()).isEqualTo("550 5.1.1 User unknown");
            assertThat(c.last()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.last()).startsWith("354 ");
            c.send("Subject: pipelined\r\n\r\nbody\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<carol@example.net>\r\nBDAT 6 LAST\r\nhello\nQUIT\r\n");
            assertThat(c.last()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.last()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.last()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.last()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.last()).isEqualTo("221 2.0.0 Bye");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(fakes.delivered).hasSize(2);
        assertThat(fakes.delivered.get(0).envelope().recipients()).hasSize(2);
        assertThat(fakes.delivered.get(1).content()).endsWith("\r\nhello\n");
    }

    @Test
    void bareLineFeedSmugglingGetsOneRefusalNotTwoMessages() throws Exception {
        try (RawClient c = greeted("smtp")) {
            c.send("EHLO client.example\r\nMAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
            c.reply();
            c.reply();
            c.reply();
            assertThat(c.last()).startsWith("354");
            c.send("Subject: first\r\n\r\nfirst\r\n\n.\r\nMAIL FROM:<evil@remote.example>\r\nRCPT TO:<bob@example.org>\r\n"
                    + "DATA\r\n\r\nSubject: smuggled\r\n\r\nsmuggled\r\n.\r\nNOOP\r\n");
            assertThat(c.last()).startsWith("554 5.5.2 Message refused: bare CR or LF");
            assertThat(c.last()).isEqualTo("250 2.0.0 Ok");
        }
        assertThat(fakes.delivered).isEmpty();
    }

    @Test
    void commandsInjectedBeforeTheTlsHandshakeAreDiscarded() throws Exception {
        try (RawClient c = greeted("smtp")) {
            c.send("EHLO client.example\r\n");
            c.reply();
            c.send("STARTTLS\r\nMAIL FROM:<evil@remote.example>\r\nRCPT TO:<alice@example.org>\r\n");
            assertThat(c.last()).isEqualTo("220 2.0.0 Ready to start TLS");
            c.startTls();
            c.send("EHLO client.example\r\n");
            assertThat(c.reply()).doesNotContain("250-STARTTLS");
            c.send("RCPT TO:<alice@example.org>\r\n");
            assertThat(c.last()).isEqualTo("503 5.5.1 Need MAIL command");
        }
    }

    @Test
    void bdatChunksOverTheWire() throws Exception {
        try (RawClient c = greeted("smtp")) {
            c.send("EHLO client.example\r\nMAIL FROM:<a@remote.example> BODY=8BITMIME\r\nRCPT TO:<alice@example.org>\r\n");
            c.reply();
            c.reply();
            c.reply();
            byte[] first = "Subject: chunks\r\n\r\nline one\r\n.".getBytes(StandardCharsets.UTF_8);
            byte[] second = "\r\nline two ü\r\n".getBytes(StandardCharsets.UTF_8);
            c.send("BDAT " + first.length + "\r\n");
            c.send(first);
            c.send("BDAT " + second.length + " LAST\r\n");
            c.send(second);
            assertThat(c.last()).isEqualTo("250 2.0.0 " + first.length + " octets received");
            assertThat(c.last()).startsWith("250 2.0.0 Ok: queued as");
        }
        assertThat(withoutReceived(fakes.delivered.get(0).content())).isEqualTo("Subject: chunks\r\n\r\nline one\r\n.\r\nline two ü\r\n");
    }

    @Test
    void oversizeMessagesAreRefused() throws Exception {
        try (RawClient c = greeted("smtp")) {
            c.send("EHLO client.example\r\n");
            c.reply();
            c.send("MAIL FROM:<a@remote.example> SIZE=" + (TestServer.MAX_MESSAGE_BYTES + 1) + "\r\n");
            assertThat(c.last()).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
            c.send("MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
            c.reply();
            c.reply();
            assertThat(c.last()).startsWith("354");
            String line = "x".repeat(998) + "\r\n";
            c.send(line.repeat((int) (TestServer.MAX_MESSAGE_BYTES / 1000) + 10) + ".\r\n");
            assertThat(c.last()).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
            c.send("NOOP\r\n");
            assertThat(c.last()).isEqualTo("250 2.0.0 Ok");
        }
        assertThat(fakes.delivered).isEmpty();
        try (var left = Files.list(server.spool)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void overlongAndUndecodableCommands() throws Exception {
        try (RawClient c = greeted("smtp")) {
            c.send("NOOP " + "x".repeat(13000) + "\r\n");
            assertThat(c.last()).isEqualTo("500 5.5.2 Line too long");
            c.send("NOOP " + "y".repeat(70_000) + "\r\n");
            assertThat(c.last()).isEqualTo("500 5.5.2 Line too long");
            c.send(new byte[] {'N', 'O', 'O', 'P', ' ', (byte) 0xff, '\r', '\n'});
            assertThat(c.last()).isEqualTo("500 5.5.2 Invalid UTF-8 in command");
            c.send("NOOP\r\n");
            assertThat(c.last()).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void tooManyErrorsDisconnect() throws Exception {
        try (RawClient c = greeted("smtp")) {
            c.send("FOO\r\n".repeat(20));
            for (int i = 0; i < 20; i++) {
                assertThat(c.last()).isEqualTo("500 5.5.1 Command unrecognized");
            }
            c.send("NOOP\r\n");
            assertThat(c.last()).isEqualTo("421 4.7.0 mx.example.org Error: too many errors");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void shutdownSaysGoodbye() throws Exception {
        try (RawClient c = greeted("smtp")) {
            c.send("EHLO client.example\r\n");
            c.reply();
            server.shutdown(Duration.ofSeconds(10));
            assertThat(c.last()).isEqualTo("421 4.3.2 mx.example.org Service shutting down, closing connection");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void submissionRefusesMailBeforeTlsAndAuth() throws Exception {
        try (RawClient c = greeted("submission")) {
            c.send("EHLO client.example\r\n");
            List<String> ehlo = c.reply();
            assertThat(ehlo).contains("250-STARTTLS").noneMatch(l -> l.contains("AUTH"));
            c.send("MAIL FROM:<alice@example.org>\r\n");
            assertThat(c.last()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
        }
    }
}

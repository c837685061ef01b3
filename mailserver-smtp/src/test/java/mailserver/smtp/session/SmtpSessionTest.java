package mailserver.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mailserver.core.mail.MailAddress;
import mailserver.core.net.NetworkRange;
import mailserver.smtp.command.DsnNotify;
import mailserver.smtp.command.DsnReturn;
import mailserver.smtp.reply.Reply;

class SmtpSessionTest {

    private static final TlsInfo TLS = new TlsInfo("TLSv1.3", "TLS_AES_256_GCM_SHA384");

    @TempDir
    Path spool;

    private final FakeServices fakes = new FakeServices();

    private SessionDriver mx() {
        return new SessionDriver(SmtpListenerSettings.mx("mx.example.org"), fakes.services(spool), "192.0.2.1");
    }

    private SessionDriver submission() {
        return new SessionDriver(SmtpListenerSettings.submission("mx.example.org"), fakes.services(spool), "192.0.2.1");
    }

    private static String plain(String authzid, String user, String password) {
        return Base64.getEncoder().encodeToString((authzid + "\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- greeting and EHLO ----------------------------------------------------------------

    @Test
    void mxOffersStartTlsButNoAuth() {
        SessionDriver c = mx();
        assertThat(c.session.greeting().encode()).isEqualTo("220 mx.example.org ESMTP ready\r\n");
        assertThat(c.sendFull("EHLO client.example")).isEqualTo(String.join("\r\n",
                "250-mx.example.org", "250-PIPELINING", "250-SIZE 52428800", "250-STARTTLS", "250-ENHANCEDSTATUSCODES",
                "250-8BITMIME", "250-SMTPUTF8", "250-CHUNKING", "250-DSN", "250 HELP", ""));
        assertThat(c.send("AUTH PLAIN " + plain("", "alice@example.org", "secret"))).isEqualTo("503 5.5.1 Authentication not enabled");
    }

    @Test
    void heloGetsNoExtensions() {
        SessionDriver c = mx();
        assertThat(c.sendFull("HELO client.example")).isEqualTo("250 mx.example.org\r\n");
        assertThat(c.send("MAIL FROM:<a@b.example> SIZE=10")).isEqualTo("555 5.5.4 ESMTP parameters need EHLO");
        assertThat(c.send("MAIL FROM:<a@b.example>")).isEqualTo("250 2.1.0 Ok");
    }

    @Test
    void submissionWantsTlsThenAuth() {
        SessionDriver c = submission();
        assertThat(c.sendFull("EHLO client.example")).contains("STARTTLS").doesNotContain("AUTH");
        assertThat(c.send("AUTH PLAIN " + plain("", "alice@example.org", "secret")))
                .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
        assertThat(c.send("MAIL FROM:<alice@example.org>")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
        assertThat(c.send("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
        assertThat(c.last.next()).isEqualTo(Step.Next.START_TLS);
        c.session.tlsStarted(TLS);
        // RFC 3207: the client starts over with EHLO
        assertThat(c.send("MAIL FROM:<alice@example.org>")).isEqualTo("503 5.5.1 Send HELO/EHLO first");
        assertThat(c.sendFull("EHLO client.example")).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
        assertThat(c.send("MAIL FROM:<alice@example.org>")).isEqualTo("530 5.7.0 Authentication required");
        assertThat(c.send("STARTTLS")).isEqualTo("503 5.5.1 TLS already active");
        assertThat(c.send("AUTH PLAIN " + plain("", "alice@example.org", "secret"))).isEqualTo("235 2.7.0 Authentication successful");
        assertThat(c.send("MAIL FROM:<alice@example.org>")).isEqualTo("250 2.1.0 Ok");
    }

    @Test
    void implicitTlsOffersAuthAtOnce() {
        SessionDriver c = new SessionDriver(SmtpListenerSettings.submissions("mx.example.org"), fakes.services(spool), "192.0.2.1");
        c.session.tlsStarted(TLS);
        assertThat(c.sendFull("EHLO client.example")).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
        assertThat(c.send("STARTTLS")).isEqualTo("503 5.5.1 TLS already active");
    }

    @Test
    void startTlsForgetsTheTransaction() {
        SessionDriver c = mx();
        c.send("EHLO client.example");
        c.send("MAIL FROM:<x@y.example>");
        c.send("STARTTLS");
        c.session.tlsStarted(TLS);
        c.send("EHLO client.example");
        assertThat(c.send("RCPT TO:<alice@example.org>")).isEqualTo("503 5.5.1 Need MAIL command");
    }

    @Test
    void startTlsWithoutCertificate() {
        SessionDriver c = new SessionDriver(SmtpListenerSettings.mx("mx.example.org").withoutStartTls(), fakes.services(spool), "192.0.2.1");
        assertThat(c.sendFull("EHLO client.example")).doesNotContain("STARTTLS");
        assertThat(c.send("STARTTLS")).isEqualTo("502 5.5.1 STARTTLS not available");
    }

    // ---- a whole message ---------------------------------------------------------------------

    @Test
    void deliversAMessageWithAReceivedHeader() throws Exception {
        SessionDriver c = mx();
        c.send("EHLO client.example");
        assertThat(c.send("MAIL FROM:<sender@remote.example> BODY=8BITMIME RET=HDRS ENVID=abc")).isEqualTo("250 2.1.0 Ok");
        assertThat(c.send("RCPT TO:<Alice@example.org> NOTIFY=SUCCESS,FAILURE")).isEqualTo("250 2.1.5 Ok");
        String reply = c.data("Subject: hi\r\n\r\n..dot\r\nbody\r\n.\r\n");
        assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(fakes.delivered).hasSize(1);
        FakeServices.Delivered d = fakes.delivered.get(0);
        Envelope e = d.envelope();
        assertThat(reply).endsWith(e.queueId());
        assertThat(e.reversePath()).contains(MailAddress.parse("sender@remote.example"));
        assertThat(e.mailParameters().dsnReturn()).contains(DsnReturn.HDRS);
        assertThat(e.mailParameters().envelopeId()).contains("abc");
        assertThat(e.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo(MailAddress.parse("Alice@example.org"));
            assertThat(r.local()).isTrue();
            assertThat(r.parameters().notifyOn()).containsExactlyInAnyOrder(DsnNotify.SUCCESS, DsnNotify.FAILURE);
        });
        assertThat(e.heloName()).isEqualTo("client.example");
        assertThat(d.content()).isEqualTo(
                "Received: from client.example (unknown [192.0.2.1])\r\n"
                + "\tby mx.example.org (mailserver) with ESMTP id " + e.queueId() + "\r\n"
                + "\tfor <Alice@example.org>; Tue, 3 Jun 2025 10:00:00 +0000\r\n"
                + "Subject: hi\r\n\r\n.dot\r\nbody\r\n");
        try (var left = Files.list(spool)) {
            assertThat(left).as("spool files are removed after delivery").isEmpty();
        }
        // the session is ready for the next transaction
        assertThat(c.send("MAIL FROM:<>")).isEqualTo("250 2.1.0 Ok");
    }

    @Test
    void receivedHeaderNamesTlsAndAuthentication() {
        SessionDriver c = submission();
        c.send("STARTTLS");
        c.session.tlsStarted(TLS);
        c.send("EHLO client.example");
        c.send("AUTH PLAIN " + plain("", "alice@example.org", "secret"));
        c.send("MAIL FROM:<alice@example.org>");
        c.send("RCPT TO:<bob@example.org>");
        c.send("RCPT TO:<someone@remote.example>");
        assertThat(c.data("x\r\n.\r\n")).startsWith("250");
        String content = fakes.delivered.get(0).content();
        assertThat(content).startsWith("Received: from client.example (unknown [192.0.2.1])\r\n"
                + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
                + "\tby mx.example.org (mailserver) with ESMTPSA id ");
        assertThat(content).doesNotContain("for <");
        assertThat(fakes.delivered.get(0).envelope().authenticatedUser()).contains("alice@example.org");
        assertThat(fakes.delivered.get(0).envelope().recipients()).extracting(Recipient::local).containsExactly(true, false);
    }

    @Test
    void sequencingErrors() {
        SessionDriver c = mx();
        assertThat(c.send("MAIL FROM:<a@b.example>")).isEqualTo("503 5.5.1 Send HELO/EHLO first");
        c.send("EHLO client.example");
        assertThat(c.send("RCPT TO:<alice@example.org>")).isEqualTo("503 5.5.1 Need MAIL command");
        assertThat(c.send("DATA")).isEqualTo("503 5.5.1 Need MAIL command");
        c.send("MAIL FROM:<a@b.example>");
        assertThat(c.send("MAIL FROM:<a@b.example>")).isEqualTo("503 5.5.1 Nested MAIL command");
        assertThat(c.send("DATA")).isEqualTo("554 5.5.1 No valid recipients");
        assertThat(c.send("RSET")).isEqualTo("250 2.0.0 Ok");
        assertThat(c.send("RCPT TO:<alice@example.org>")).isEqualTo("503 5.5.1 Need MAIL command");
    }

    @Test
    void simpleCommands() {
        SessionDriver c = mx();
        assertThat(c.send("NOOP")).isEqualTo("250 2.0.0 Ok");
        assertThat(c.send("VRFY alice")).startsWith("252 2.5.0");
        assertThat(c.send("EXPN staff")).isEqualTo("502 5.5.1 EXPN is disabled");
        assertThat(c.sendFull("HELP")).startsWith("214-2.0.0 Commands:");
        assertThat(c.send("FOO")).isEqualTo("500 5.5.1 Command unrecognized");
        assertThat(c.send("QUIT")).isEqualTo("221 2.0.0 Bye");
        assertThat(c.last.next()).isEqualTo(Step.Next.CLOSE);
    }

    // ---- recipients and relaying ----------------------------------------------------------

    @Test
    void recipientRules() {
        SessionDriver c = mx();
        c.send("EHLO client.example");
        c.send("MAIL FROM:<a@remote.example>");
        assertThat(c.send("RCPT TO:<nobody@example.org>")).isEqualTo("550 5.1.1 User unknown");
        assertThat(c.send("RCPT TO:<full@example.org>")).isEqualTo("452 4.2.2 Mailbox full");
        assertThat(c.send("RCPT TO:<victim@elsewhere.example>")).isEqualTo("554 5.7.1 Relay access denied");
        assertThat(c.send("RCPT TO:<Postmaster>")).isEqualTo("250 2.1.5 Ok");
        assertThat(c.send("RCPT TO:<carol@example.net>")).isEqualTo("250 2.1.5 Ok");
        assertThat(c.send("RCPT TO:<CAROL@example.net>")).as("a duplicate is accepted once").isEqualTo("250 2.1.5 Ok");
        fakes.directoryDown = true;
        assertThat(c.send("RCPT TO:<bob@example.org>")).isEqualTo("451 4.3.0 Temporary lookup failure, try again later");
        fakes.directoryDown = false;
        assertThat(c.data("x\r\n.\r\n")).startsWith("250");
        assertThat(fakes.delivered.get(0).envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("postmaster@mx.example.org", "carol@example.net");
    }

    @Test
    void trustedNetworksAndAuthenticatedClientsMayRelay() {
        SessionDriver local = new SessionDriver(SmtpListenerSettings.mx("mx.example.org"), fakes.services(spool), "127.0.0.1");
        local.send("EHLO localhost");
        local.send("MAIL FROM:<a@example.org>");
        assertThat(local.send("RCPT TO:<x@elsewhere.example>")).isEqualTo("250 2.1.5 Ok");

        SessionDriver lan = new SessionDriver(SmtpListenerSettings.mx("mx.example.org")
                .withRelayNetworks(List.of(NetworkRange.parse("198.51.100.0/24"))), fakes.services(spool), "198.51.100.77");
        lan.send("EHLO lan");
        lan.send("MAIL FROM:<a@example.org>");
        assertThat(lan.send("RCPT TO:<x@elsewhere.example>")).isEqualTo("250 2.1.5 Ok");

        SessionDriver user = new SessionDriver(SmtpListenerSettings.mx("mx.example.org").withAuth(true, false, false),
                fakes.services(spool), "203.0.113.9");
        user.send("EHLO laptop");
        user.send("MAIL FROM:<bob@example.org>");
        assertThat(user.send("RCPT TO:<x@elsewhere.example>")).isEqualTo("554 5.7.1 Relay access denied");
        user.send("RSET");
        assertThat(user.send("AUTH PLAIN " + plain("", "bob@example.org", "hunter2"))).startsWith("235");
        user.send("MAIL FROM:<bob@example.org>");
        assertThat(user.send("RCPT TO:<x@elsewhere.example>")).isEqualTo("250 2.1.5 Ok");
    }

    @Test
    void recipientLimit() {
        SessionDriver c = new SessionDriver(SmtpListenerSettings.mx("mx.example.org").withLimits(1000, 2, 20),
                fakes.services(spool), "192.0.2.1");
        c.send("EHLO client.example");
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        c.send("RCPT TO:<bob@example.org>");
        assertThat(c.send("RCPT TO:<carol@example.net>")).isEqualTo("452 4.5.3 Too many recipients");
    }

    @Test
    void utf8AddressesNeedSmtpUtf8() {
        SessionDriver c = mx();
        c.send("EHLO client.example");
        assertThat(c.send("MAIL FROM:<josé@remote.example>")).isEqualTo("553 5.6.7 Non-ASCII sender address needs SMTPUTF8");
        c.send("MAIL FROM:<a@remote.example>");
        assertThat(c.send("RCPT TO:<jürgen@example.org>")).isEqualTo("553 5.6.7 Non-ASCII recipient address needs SMTPUTF8");
        c.send("RSET");
        assertThat(c.send("MAIL FROM:<josé@remote.example> SMTPUTF8")).isEqualTo("250 2.1.0 Ok");
        assertThat(c.send("RCPT TO:<jürgen@example.org>")).isEqualTo("250 2.1.5 Ok");
        assertThat(c.data("Subject: Grüße\r\n\r\nü\r\n.\r\n")).startsWith("250");
        assertThat(fakes.delivered.get(0).content()).contains("with UTF8SMTP id").contains("for <jürgen@example.org>")
                .endsWith("Subject: Grüße\r\n\r\nü\r\n");
    }

    // ---- data -------------------------------------------------------------------------------

    @Test
    void oversizeIsRefusedAtMailOrAfterTheData() {
        SessionDriver c = new SessionDriver(SmtpListenerSettings.mx("mx.example.org").withLimits(20, 1000, 20),
                fakes.services(spool), "192.0.2.1");
        c.send("EHLO client.example");
        assertThat(c.send("MAIL FROM:<a@remote.example> SIZE=21")).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
        c.send("MAIL FROM:<a@remote.example> SIZE=20");
        c.send("RCPT TO:<alice@example.org>");
        assertThat(c.data("0123456789\r\n0123456789\r\n.\r\n")).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
        assertThat(fakes.delivered).isEmpty();
        assertThat(c.send("NOOP")).as("still in step").isEqualTo("250 2.0.0 Ok");
    }

    @Test
    void bareLineFeedsAreRefusedAndTheSessionStaysInStep() {
        SessionDriver c = mx();
        c.send("EHLO client.example");
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        String reply = c.data("Subject: one\r\n\r\nx\n.\nMAIL FROM:<evil@remote.example>\nRCPT TO:<bob@example.org>\nDATA\n"
                + "smuggled\n.\r\n.\r\n");
        assertThat(reply).startsWith("554 5.5.2 Message refused: bare CR or LF");
        assertThat(fakes.delivered).isEmpty();
        assertThat(c.send("MAIL FROM:<a@remote.example>")).isEqualTo("250 2.1.0 Ok");
    }

    @Test
    void bdatChunksMakeOneMessage() {
        SessionDriver c = mx();
        c.send("EHLO client.example");
        c.send("MAIL FROM:<a@remote.example> BODY=8BITMIME");
        c.send("RCPT TO:<alice@example.org>");
        assertThat(c.bdat("Subject: chunked\r\n\r\n", false)).isEqualTo("250 2.0.0 20 octets received");
        assertThat(c.send("DATA")).isEqualTo("503 5.5.1 DATA cannot follow BDAT");
        assertThat(c.bdat(".leading dot kept\r\n", true)).startsWith("250 2.0.0 Ok: queued as");
        assertThat(fakes.delivered.get(0).content()).endsWith("\r\nSubject: chunked\r\n\r\n.leading dot kept\r\n");
    }

    @Test
    void bdatWithoutTransactionIsReadAndRefused() {
        SessionDriver c = mx();
        c.send("EHLO client.example");
        assertThat(c.bdat("some bytes", true)).isEqualTo("503 5.5.1 Need MAIL command");
        assertThat(c.send("NOOP")).isEqualTo("250 2.0.0 Ok");
    }

    @Test
    void bdatOverTheLimitFailsTheTransaction() {
        SessionDriver c = new SessionDriver(SmtpListenerSettings.mx("mx.example.org").withLimits(10, 1000, 20),
                fakes.services(spool), "192.0.2.1");
        c.send("EHLO client.example");
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        assertThat(c.bdat("0123456789", false)).isEqualTo("250 2.0.0 10 octets received");
        assertThat(c.bdat("x", true)).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
        assertThat(c.bdat("x", true)).isEqualTo("503 5.5.1 Need MAIL command");
        assertThat(fakes.delivered).isEmpty();
    }

    @Test
    void lineTooLongInsideDataEndsTheConnection() {
        SessionDriver c = mx();
        c.send("EHLO client.example");
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        c.send("DATA");
        Step step = c.session.lineTooLong();
        assertThat(step.reply().summary()).isEqualTo("500 5.5.2 Line too long in message data");
        assertThat(step.next()).isEqualTo(Step.Next.CLOSE);
    }

    @Test
    void sinkFailures() {
        SessionDriver c = mx();
        c.send("EHLO client.example");
        Reply full = Reply.of(452, "4.2.2", "Mailbox full");
        fakes.sinkBehaviour = e -> new DeliveryResult(List.of(new DeliveryResult.Failure(e.recipients().get(0), full, "quota")));
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        c.send("RCPT TO:<bob@example.org>");
        assertThat(c.data("x\r\n.\r\n")).isEqualTo("451 4.3.0 Delivery failed for some recipients, try again later");

        // Alone, a full mailbox is told as such.
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        assertThat(c.data("x\r\n.\r\n")).isEqualTo("452 4.2.2 Mailbox full");

        fakes.sinkBehaviour = e -> new DeliveryResult(e.recipients().stream().map(r -> new DeliveryResult.Failure(r,
                Reply.of(550, "5.1.1", r.address() + " unknown"), "gone")).toList());
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        c.send("RCPT TO:<bob@example.org>");
        assertThat(c.data("x\r\n.\r\n")).isEqualTo("554 5.3.0 Delivery failed for every recipient");

        fakes.sinkBehaviour = e -> {
            throw new IllegalStateException("store broken");
        };
        c.send("MAIL FROM:<a@remote.example>");
        c.send("RCPT TO:<alice@example.org>");
        assertThat(c.data("x\r\n.\r\n")).isEqualTo("451 4.3.0 Local error in processing, try again later");
    }

    // ---- AUTH -------------------------------------------------------------------------------

    private SessionDriver authenticatedReady() {
        SessionDriver c = submission();
        c.send("STARTTLS");
        c.session.tlsStarted(TLS);
        c.send("EHLO client.example");
        return c;
    }

    @Test
    void authPlainRefusesAForeignAuthorizationIdentity() {
        SessionDriver c = authenticatedReady();
        assertThat(c.send("AUTH PLAIN " + plain("bob@example.org", "alice@example.org", "secret")))
                .isEqualTo("535 5.7.8 Authorization identity must be the authentication identity");
        assertThat(fakes.authAttempts).isEmpty();
        assertThat(c.send("AUTH PLAIN " + plain("alice@example.org", "alice@example.org", "secret"))).startsWith("235");
    }

    @Test
    void authPlainWithoutInitialResponse() {
        SessionDriver c = authenticatedReady();
        assertThat(c.sendFull("AUTH PLAIN")).isEqualTo("334 \r\n");
        assertThat(c.send(plain("", "alice@example.org", "wrong"))).isEqualTo("535 5.7.8 Authentication credentials invalid");
        assertThat(c.send("MAIL FROM:<alice@example.org>")).isEqualTo("530 5.7.0 Authentication required");
    }

    @Test
    void authLoginStepByStepAndWithInitialResponse() {
        SessionDriver c = authenticatedReady();
        assertThat(c.send("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
        assertThat(c.send(b64("bob@example.org"))).isEqualTo("334 UGFzc3dvcmQ6");
        assertThat(c.send(b64("hunter2"))).isEqualTo("235 2.7.0 Authentication successful");
        assertThat(c.send("AUTH LOGIN")).isEqualTo("503 5.5.1 Already authenticated");

        SessionDriver d = authenticatedReady();
        assertThat(d.send("AUTH LOGIN " + b64("bob@example.org"))).isEqualTo("334 UGFzc3dvcmQ6");
        assertThat(d.send(b64("hunter2"))).startsWith("235");
    }

    @Test
    void authCancelledOrGarbled() {
        SessionDriver c = authenticatedReady();
        c.send("AUTH LOGIN");
        assertThat(c.send("*")).isEqualTo("501 5.0.0 Authentication cancelled");
        c.send("AUTH LOGIN");
        assertThat(c.send("!!!")).isEqualTo("501 5.5.2 Cannot decode response");
        assertThat(c.send("AUTH CRAM-MD5")).isEqualTo("504 5.5.4 Unrecognized authentication type");
        assertThat(c.send("NOOP")).as("back to commands").isEqualTo("250 2.0.0 Ok");
    }

    @Test
    void authenticatedSenderMustOwnTheAddress() {
        SessionDriver c = authenticatedReady();
        c.send("AUTH PLAIN " + plain("", "alice@example.org", "secret"));
        assertThat(c.send("MAIL FROM:<bob@example.org>")).isEqualTo("553 5.7.1 Sender address rejected: not owned by user alice@example.org");
        assertThat(c.send("MAIL FROM:<sales@example.org>")).as("an alias of hers").isEqualTo("250 2.1.0 Ok");
        c.send("RSET");
        assertThat(c.send("MAIL FROM:<>")).isEqualTo("250 2.1.0 Ok");

        SessionDriver free = new SessionDriver(SmtpListenerSettings.submission("mx.example.org").withSenderMustBeOwned(false),
                fakes.services(spool), "192.0.2.1");
        free.send("STARTTLS");
        free.session.tlsStarted(TLS);
        free.send("EHLO client.example");
        free.send("AUTH PLAIN " + plain("", "alice@example.org", "secret"));
        assertThat(free.send("MAIL FROM:<bob@example.org>")).isEqualTo("250 2.1.0 Ok");
    }

    // ---- limits -----------------------------------------------------------------------------

    @Test
    void tooManyErrorsEndTheSession() {
        SessionDriver c = new SessionDriver(SmtpListenerSettings.mx("mx.example.org").withLimits(1000, 1000, 3),
                fakes.services(spool), "192.0.2.1");
        c.send("FOO");
        c.send("BAR");
        c.session.lineTooLong();
        assertThat(c.send("NOOP")).isEqualTo("421 4.7.0 mx.example.org Error: too many errors");
        assertThat(c.last.next()).isEqualTo(Step.Next.CLOSE);
    }
}

package mailserver.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import mailserver.core.net.Connection;
import mailserver.smtp.queue.QueueEnvelope;
import mailserver.smtp.queue.QueueFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server end to end with the real directory (H2), the real Maildir store and the real
 * outbound queue writer, over real sockets: Angus Mail where a real client does the job, a raw
 * socket for byte-exact checks and for what clients never do. One server for the class; each
 * test uses its own recipients or counts what it added.
 */
class DeliveryIntegrationTest {

    @TempDir
    static Path dir;
    static RealServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new RealServer(dir, true);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- byte-exact local delivery ----------------------------------------------------------

    @Test
    void deliveredFileIsTheSentBytesPlusReturnPathDeliveredToAndReceived() throws Exception {
        String body = "From: Sender <sender@remote.example>\r\nTo: bob@example.org\r\nSubject: exact\r\n\r\n"
                + "line one\r\n..a line that was dot-stuffed\r\n  indented\r\n\r\nlast line\r\n";
        String stuffed = body.replace("\r\n..a", "\r\n...a");
        List<Path> before = server.inbox("bob@example.org");
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            assertThat(send(c, "sender@remote.example", List.of("bob@example.org"), stuffed))
                    .last().asString().matches("250 2\\.0\\.0 Ok: queued as [0-9A-Z]+");
        }
        Path delivered = newMessage("bob@example.org", before);
        String stored = Files.readString(delivered, StandardCharsets.UTF_8);
        assertThat(stored).startsWith("Return-Path: <sender@remote.example>\r\nDelivered-To: bob@example.org\r\n");
        String afterAdded = stored.substring(stored.indexOf("\r\nReceived: ") + 2);
        assertThat(receivedHeader(afterAdded))
                .startsWith("Received: from client.example (unknown [127.0.0.1])\r\n\tby mx.example.org (mailserver) with ESMTP id ")
                .contains("\r\n\tfor <bob@example.org>; ");
        assertThat(afterAdded.substring(receivedHeader(afterAdded).length())).isEqualTo(body);
    }

    @Test
    void eightBitBodyAndSmtpUtf8AddressesArriveUnchanged() throws Exception {
        String body = "From: jürgen@example.org\r\nTo: jürgen@example.org\r\nSubject: Grüße\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nÄrger über Öl ✓\r\n";
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            c.send("EHLO client.example\r\n");
            assertThat(c.reply()).contains("250-SMTPUTF8", "250-8BITMIME");
            c.send("MAIL FROM:<müller@remote.example> BODY=8BITMIME SMTPUTF8\r\n");
            assertThat(c.last()).startsWith("250");
            c.send("RCPT TO:<jürgen@example.org>\r\n");
            assertThat(c.last()).startsWith("250");
            c.send("DATA\r\n");
            assertThat(c.last()).startsWith("354");
            c.send((body + ".\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(c.last()).startsWith("250 2.0.0");
        }
        List<Path> inbox = server.inbox("jürgen@example.org");
        assertThat(inbox).hasSize(1);
        String stored = Files.readString(inbox.get(0), StandardCharsets.UTF_8);
        assertThat(stored).startsWith("Return-Path: <müller@remote.example>\r\nDelivered-To: jürgen@example.org\r\nReceived: ")
                .contains(" with UTF8SMTP id ").endsWith("\r\n" + body);
    }

    @Test
    void bdatChunksAreDeliveredExactly() throws Exception {
        String part1 = "Subject: chunked\r\n\r\nfirst chunk with a bare \n LF is fine in BDAT? no: kept as sent\r\n";
        String part2 = ".leading dot, not stuffed in BDAT\r\n";
        List<Path> before = server.inbox("carol@example.org");
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            c.send("EHLO client.example\r\n");
            assertThat(c.reply()).contains("250-CHUNKING");
            c.send("MAIL FROM:<a@remote.example>\r\nRCPT TO:<carol@example.org>\r\n");
            assertThat(c.last()).startsWith("250");
            assertThat(c.last()).startsWith("250");
            byte[] one = part1.getBytes(StandardCharsets.UTF_8);
            byte[] two = part2.getBytes(StandardCharsets.UTF_8);
            c.send("BDAT " + one.length + "\r\n");
            c.send(one);
            assertThat(c.last()).startsWith("250 2.0.0");
            c.send("BDAT " + two.length + " LAST\r\n");
            c.send(two);
            assertThat(c.last()).startsWith("250 2.0.0 Ok: queued as ");
        }
        Path delivered = newMessage("carol@example.org", before);
        String stored = Files.readString(delivered, StandardCharsets.UTF_8);
        // The store keeps CRLF line ends: the one bare LF of the chunk becomes CRLF on disk.
        assertThat(stored).endsWith("\r\n" + part1.replace(" \n LF", " \r\n LF") + part2);
    }

    @Test
    void pipelinedTransactionsAreDeliveredEach() throws Exception {
        List<Path> before = server.inbox("alice@example.org");
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            c.send("EHLO client.example\r\n");
            c.reply();
            String one = "MAIL FROM:<p@remote.example>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n";
            c.send(one);
            assertThat(List.of(c.last(), c.last(), c.last())).allMatch(l -> l.startsWith("250") || l.startsWith("354"));
            c.send("Subject: one\r\n\r\n1\r\n.\r\n" + one.replace("p@", "q@") + "");
            assertThat(c.last()).startsWith("250 2.0.0");
            assertThat(List.of(c.last(), c.last(), c.last())).allMatch(l -> l.startsWith("250") || l.startsWith("354"));
            c.send("Subject: two\r\n\r\n2\r\n.\r\nQUIT\r\n");
            assertThat(c.last()).startsWith("250 2.0.0");
            assertThat(c.last()).startsWith("221");
        }
        assertThat(server.inbox("alice@example.org")).hasSize(before.size() + 2);
    }

    // ---- the directory decides ---------------------------------------------------------------

    @Test
    void unknownUserRelayDeniedAndOverQuotaAtRcpt() throws Exception {
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            c.send("EHLO client.example\r\nMAIL FROM:<a@remote.example>\r\n");
            c.reply();
            assertThat(c.last()).startsWith("250");
            c.send("RCPT TO:<nobody@example.org>\r\n");
            assertThat(c.last()).isEqualTo("550 5.1.1 User unknown");
            c.send("RCPT TO:<someone@elsewhere.example>\r\n");
            assertThat(c.last()).isEqualTo("554 5.7.1 Relay access denied");
            c.send("RCPT TO:<full@example.org>\r\n");
            assertThat(c.last()).isEqualTo("452 4.2.2 Mailbox full");
            c.send("RCPT TO:<nobody@catchall.test>\r\n");
            assertThat(c.last()).startsWith("250");
        }
    }

    @Test
    void messageLargerThanWhatIsLeftOfTheQuotaIsRefusedAtTheEnd() throws Exception {
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            String big = "Subject: big\r\n\r\n" + ("y".repeat(70) + "\r\n").repeat(50);
            assertThat(send(c, "a@remote.example", List.of("small@example.org"), big).get(3)).isEqualTo("452 4.2.2 Mailbox full");
            String fits = "Subject: fits\r\n\r\nshort\r\n";
            assertThat(send(c, "a@remote.example", List.of("small@example.org"), fits).get(3)).startsWith("250 2.0.0");
        }
        assertThat(server.inbox("small@example.org")).hasSize(1);
    }

    @Test
    void aliasesNestedAliasesAliasDomainsAndCatchAllGiveOneCopyPerAccount() throws Exception {
        List<Path> alice = server.inbox("alice@example.org");
        List<Path> bob = server.inbox("bob@example.org");
        List<Path> carol = server.inbox("carol@example.org");
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            // team = sales (alice, bob) + carol; sales again and alice@example.net (alias domain) are duplicates.
            List<String> replies = send(c, "a@remote.example",
                    List.of("team@example.org", "sales@example.org", "alice@example.net", "whoever@catchall.test"),
                    "Subject: to the team\r\n\r\nhello\r\n");
            assertThat(replies.get(replies.size() - 1)).startsWith("250 2.0.0");
        }
        assertThat(server.inbox("alice@example.org")).hasSize(alice.size() + 1);
        assertThat(server.inbox("bob@example.org")).hasSize(bob.size() + 1);
        assertThat(server.inbox("carol@example.org")).hasSize(carol.size() + 1);
        assertThat(Files.readString(newMessage("carol@example.org", carol))).contains("Delivered-To: carol@example.org\r\n");
    }

    @Test
    void forwardingAliasKeepsALocalCopyAndQueuesTheRemoteTarget() throws Exception {
        List<Path> alice = server.inbox("alice@example.org");
        String queueId;
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            c.send("EHLO client.example\r\n");
            c.reply();
            c.send("MAIL FROM:<sender@remote.example> RET=HDRS ENVID=env+2B42\r\n");
            assertThat(c.last()).startsWith("250");
            c.send("RCPT TO:<forward@example.org> NOTIFY=FAILURE,DELAY\r\n");
            assertThat(c.last()).startsWith("250");
            c.send("DATA\r\n");
            c.reply();
            c.send("Subject: fwd\r\n\r\nforward me\r\n.\r\n");
            String last = c.last();
            assertThat(last).startsWith("250 2.0.0 Ok: queued as ");
            queueId = last.substring(last.lastIndexOf(' ') + 1);
        }
        assertThat(server.inbox("alice@example.org")).hasSize(alice.size() + 1);
        Path json = server.queueDir().resolve(queueId + ".json");
        QueueEnvelope entry = QueueFormat.decode(Files.readAllBytes(json));
        assertThat(entry.queueId()).isEqualTo(queueId);
        assertThat(entry.sender()).isEqualTo("sender@remote.example");
        assertThat(entry.ret()).isEqualTo("HDRS");
        assertThat(entry.envid()).isEqualTo("env+42");
        assertThat(entry.attempts()).isZero();
        assertThat(entry.client()).isEqualTo("127.0.0.1");
        assertThat(entry.recipients()).containsExactly(new QueueEnvelope.QueueRecipient("friend@remote.example",
                List.of("DELAY", "FAILURE"), "rfc822;forward@example.org", "forward@example.org"));
        String queued = Files.readString(server.queueDir().resolve(queueId + ".eml"));
        assertThat(queued).startsWith("Received: from client.example").endsWith("\r\nSubject: fwd\r\n\r\nforward me\r\n");
        assertThat(Files.readString(json)).contains("\"notify\" : [ \"DELAY\", \"FAILURE\" ]");
        try (Stream<Path> tmp = Files.list(server.queueDir().resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    // ---- submission: TLS, AUTH, relaying, sender rules (Angus Mail) -------------------------

    @Test
    void startTlsOnPort25DeliversLocally() throws Exception {
        Properties p = angus("smtp");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        Session session = Session.getInstance(p);
        List<Path> before = server.inbox("bob@example.org");
        MimeMessage m = AngusMail.message(session, "someone@remote.example", "bob@example.org", "über TLS");
        Transport.send(m);
        Path delivered = newMessage("bob@example.org", before);
        String stored = Files.readString(delivered, StandardCharsets.UTF_8);
        String received = receivedHeader(stored.substring(stored.indexOf("Received: ")));
        assertThat(received).contains("(using TLSv1.3 with cipher ").contains(" with ESMTPS id ");
        assertThat(stored.substring(stored.indexOf(received) + received.length())).isEqualTo(AngusMail.wireForm(m));
    }

    @Test
    void submissionWithStartTlsAndAuthRelaysIntoTheQueue() throws Exception {
        Properties p = angus("submission");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.dsn.notify", "SUCCESS,FAILURE");
        p.put("mail.smtp.dsn.ret", "FULL");
        Session session = Session.getInstance(p);
        long queuedBefore = queueEntries();
        MimeMessage m = AngusMail.message(session, "alice@example.org", "friend@elsewhere.example", "relayed");
        Transport.send(m, "alice@example.org", RealServer.PASSWORD);
        assertThat(queueEntries()).isEqualTo(queuedBefore + 1);
        QueueEnvelope entry = newestQueueEntry();
        assertThat(entry.sender()).isEqualTo("alice@example.org");
        assertThat(entry.authUser()).isEqualTo("alice@example.org");
        assertThat(entry.ret()).isEqualTo("FULL");
        assertThat(entry.recipients()).containsExactly(
                new QueueEnvelope.QueueRecipient("friend@elsewhere.example", List.of("FAILURE", "SUCCESS"), null, null));
        String queued = Files.readString(server.queueDir().resolve(entry.queueId() + ".eml"), StandardCharsets.UTF_8);
        String received = receivedHeader(queued);
        assertThat(received).contains(" with ESMTPSA id ");
        assertThat(queued.substring(received.length())).isEqualTo(AngusMail.wireForm(m));
    }

    @Test
    void implicitTlsOn465WithAuthDeliversLocally() throws Exception {
        Properties p = angus("submissions");
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        List<Path> before = server.inbox("carol@example.org");
        Transport.send(AngusMail.message(session, "bob@example.org", "carol@example.org", "via 465"), "bob@example.org", RealServer.PASSWORD);
        Path delivered = newMessage("carol@example.org", before);
        assertThat(Files.readString(delivered, StandardCharsets.UTF_8))
                .startsWith("Return-Path: <bob@example.org>\r\nDelivered-To: carol@example.org\r\nReceived: ")
                .contains(" with ESMTPSA id ");
    }

    @Test
    void wrongPasswordIsRefused() {
        Properties p = angus("submissions");
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        assertThatThrownBy(() -> Transport.send(AngusMail.message(session, "bob@example.org", "carol@example.org", "x"),
                "bob@example.org", "wrong password"))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("535 5.7.8");
    }

    @Test
    void authenticatedSenderMayUseOwnAddressesAndAliasesButNotACatchAll() throws Exception {
        try (RawClient c = RawClient.tls(server.port("submissions"))) {
            c.reply();
            c.send("EHLO client.example\r\n");
            c.reply();
            c.send("AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0carol@example.org\0" + RealServer.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)) + "\r\n");
            assertThat(c.last()).isEqualTo("235 2.7.0 Authentication successful");
            c.send("MAIL FROM:<bob@example.org>\r\n");
            assertThat(c.last()).isEqualTo("553 5.7.1 Sender address rejected: not owned by user carol@example.org");
            // carol gets whatever@catchall.test, but may not send as every address of that domain.
            c.send("MAIL FROM:<whoever@catchall.test>\r\n");
            assertThat(c.last()).startsWith("553 5.7.1");
            c.send("MAIL FROM:<team@example.org>\r\n");
            assertThat(c.last()).startsWith("250");
            c.send("RSET\r\nMAIL FROM:<carol@example.net>\r\n");
            assertThat(c.last()).startsWith("250");
            assertThat(c.last()).startsWith("250");
        }
    }

    @Test
    void relayIsDeniedToStrangersOnPort25() {
        Properties p = angus("smtp");
        Session session = Session.getInstance(p);
        assertThatThrownBy(() -> Transport.send(AngusMail.message(session, "a@remote.example", "b@elsewhere.example", "relay?")))
                .isInstanceOf(SendFailedException.class)
                .hasStackTraceContaining("554 5.7.1 Relay access denied");
    }

    // ---- smuggling and limits ---------------------------------------------------------------

    @Test
    void bareLfSmugglingAttemptDeliversNothing() throws Exception {
        List<Path> before = server.inbox("alice@example.org");
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            c.send("EHLO client.example\r\nMAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
            c.reply();
            c.last();
            c.last();
            assertThat(c.last()).startsWith("354");
            c.send("Subject: outer\r\n\r\nhi\r\n\n.\nMAIL FROM:<admin@example.org>\nRCPT TO:<alice@example.org>\nDATA\n"
                    + "Subject: smuggled\n\nevil\r\n.\r\n");
            assertThat(c.last()).startsWith("554 5.5.2");
            c.send("NOOP\r\n");
            assertThat(c.last()).startsWith("250");
        }
        assertThat(server.inbox("alice@example.org")).hasSize(before.size());
    }

    @Test
    void oversizeMessageIsRefused() throws Exception {
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            String huge = "Subject: huge\r\n\r\n" + ("z".repeat(998) + "\r\n").repeat((int) (RealServer.MAX_MESSAGE_BYTES / 1000) + 10);
            assertThat(send(c, "a@remote.example", List.of("alice@example.org"), huge).get(3))
                    .isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
        }
    }

    // ---- the log ------------------------------------------------------------------------------

    @Test
    void oneLinePerMessageAndPerCopyWithTheSessionId() throws Exception {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        String queueId;
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            List<String> replies = send(c, "log@remote.example", List.of("sales@example.org"), "Subject: log\r\n\r\nx\r\n");
            String last = replies.get(replies.size() - 1);
            queueId = last.substring(last.lastIndexOf(' ') + 1);
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> logged;
        synchronized (appender) { // AppenderBase.doAppend holds this lock while a late worker line is added
            logged = List.copyOf(appender.list);
        }
        List<ILoggingEvent> lines = logged.stream()
                .filter(e -> e.getFormattedMessage().startsWith(queueId + ": ")).toList();
        assertThat(lines).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(line -> assertThat(line)
                .contains("client=/127.0.0.1:", "from=<log@remote.example>", "to=<sales@example.org>", "size=",
                        "tls=none", "status=accepted"));
        assertThat(lines).extracting(ILoggingEvent::getFormattedMessage).contains(
                queueId + ": to=<alice@example.org>, orig_to=<sales@example.org>, relay=local, status=sent (delivered to maildir)",
                queueId + ": to=<bob@example.org>, orig_to=<sales@example.org>, relay=local, status=sent (delivered to maildir)");
        assertThat(lines).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey(Connection.MDC_KEY));
        assertThat(lines.stream().map(e -> e.getMDCPropertyMap().get(Connection.MDC_KEY)).distinct()).hasSize(1);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** EHLO (when not yet said), MAIL, each RCPT and DATA; returns the last line of every reply after EHLO. */
    private static List<String> send(RawClient c, String from, List<String> recipients, String data) throws Exception {
        c.send("EHLO client.example\r\n");
        c.reply();
        List<String> replies = new ArrayList<>();
        c.send("MAIL FROM:<" + from + ">\r\n");
        replies.add(c.last());
        for (String r : recipients) {
            c.send("RCPT TO:<" + r + ">\r\n");
            replies.add(c.last());
        }
        c.send("DATA\r\n");
        String dataReply = c.last();
        replies.add(dataReply);
        if (dataReply.startsWith("354")) {
            c.send((data + ".\r\n").getBytes(StandardCharsets.UTF_8));
            replies.add(c.last());
        }
        return replies;
    }

    /** The one message file that came into the account's INBOX since {@code before}. */
    private static Path newMessage(String account, List<Path> before) throws Exception {
        List<Path> added = new ArrayList<>(server.inbox(account));
        added.removeAll(before);
        assertThat(added).hasSize(1);
        return added.get(0);
    }

    /** The Received header at the start of {@code text}, with its folded lines and final CRLF. */
    private static String receivedHeader(String text) {
        assertThat(text).startsWith("Received: ");
        int end = 0;
        do {
            end = text.indexOf("\r\n", end) + 2;
        } while (text.charAt(end) == '\t');
        return text.substring(0, end);
    }

    private Properties angus(String listener) {
        return AngusMail.properties(server.port(listener));
    }

    private static long queueEntries() throws Exception {
        try (Stream<Path> files = Files.list(server.queueDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }

    private static QueueEnvelope newestQueueEntry() throws Exception {
        try (Stream<Path> files = Files.list(server.queueDir())) {
            Path newest = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).orElseThrow();
            return QueueFormat.decode(Files.readAllBytes(newest));
        }
    }
}

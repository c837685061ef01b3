package mailserver.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.ConfigLoader;
import mailserver.core.config.MailserverConfig;
import mailserver.core.dns.TestDnsServer;
import mailserver.core.mail.MailAddress;
import mailserver.dist.cli.MailserverCommand;
import mailserver.smtp.queue.QueueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Outbound delivery with the real servers: {@code mail.example.test} (127.0.0.1) sends to
 * {@code mx.remote.test}, a second instance on 127.0.0.2, to a greylisting server on 127.0.0.3,
 * to nothing on 127.0.0.4 and to a server without DSN on 127.0.0.5 (which also takes the
 * receiver's mail for {@code example.test}), all found through MX records served by a loopback
 * DNS server.
 * Short queue timings: retries after 1 s, expiry after 6 s.
 */
class OutboundEndToEndTest {

    @TempDir
    static Path folder;

    private static TestDnsServer dns;
    private static ScriptedSmtpServer greylisting;
    private static ScriptedSmtpServer withoutDsn;
    private static MailServer sender;
    private static MailServer receiver;
    private static MailserverConfig senderConfig;
    private static MailserverConfig receiverConfig;

    @BeforeAll
    static void start() throws Exception {
        int port = freePort("127.0.0.2");
        dns = TestDnsServer.start();
        dns.add("remote.test", Type.MX, "10 mx.remote.test.");
        dns.add("mx.remote.test", Type.A, "127.0.0.2");
        dns.add("greylist.test", Type.MX, "10 mx.greylist.test.");
        dns.add("mx.greylist.test", Type.A, "127.0.0.3");
        dns.add("dead.test", Type.MX, "10 mx.dead.test.");
        dns.add("mx.dead.test", Type.A, "127.0.0.4");
        dns.add("plain.test", Type.MX, "10 mx.plain.test.");
        dns.add("mx.plain.test", Type.A, "127.0.0.5");
        dns.add("example.test", Type.MX, "10 mx.plain.test.");
        greylisting = new ScriptedSmtpServer("127.0.0.3", port, 1);
        withoutDsn = new ScriptedSmtpServer("127.0.0.5", port, 0);

        String common = "dns:\n  servers: [\"" + dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort() + "\"]\n"
                + "outbound:\n  port: " + port + "\n"
                + "queue:\n  min-backoff: 1s\n  max-backoff: 2s\n  max-lifetime: 6s\n  scan-interval: 1s\n";
        receiverConfig = config("receiver", "mx.remote.test", "  smtp: { address: 127.0.0.2, port: " + port + " }\n"
                + disabled("submission", "submissions"), common);
        senderConfig = config("sender", "mail.example.test", "  smtp: { address: 127.0.0.1, port: " + freePort("127.0.0.1") + " }\n"
                + "  submission: { address: 127.0.0.1, port: " + freePort("127.0.0.1") + " }\n"
                + disabled("submissions"), common);
        try (JdbcDirectory directory = JdbcDirectory.open(receiverConfig.directory())) {
            directory.addDomain("remote.test", "");
            directory.addAccount(MailAddress.parse("bob@remote.test"), "bob-pw".toCharArray(), 0, "Bob");
        }
        try (JdbcDirectory directory = JdbcDirectory.open(senderConfig.directory())) {
            directory.addDomain("example.test", "");
            directory.addAccount(MailAddress.parse("alice@example.test"), "alice-pw".toCharArray(), 0, "Alice");
        }
        receiver = MailServer.start(receiverConfig);
        sender = MailServer.start(senderConfig);
    }

    @AfterAll
    static void stop() throws Exception {
        for (MailServer server : new MailServer[] {sender, receiver}) {
            if (server != null) {
                server.shutdown(Duration.ofSeconds(1));
            }
        }
        for (ScriptedSmtpServer server : new ScriptedSmtpServer[] {greylisting, withoutDsn}) {
            if (server != null) {
                server.close();
            }
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void submittedMailForARemoteDomainIsDeliveredToTheOtherServer() throws Exception {
        submit("bob@remote.test", "Subject: to bob\r\nFrom: alice@example.test\r\n\r\nHello Bob\r\n");

        String delivered = awaitMessage(maildir(receiverConfig, "remote.test", "bob"), "Subject: to bob");
        assertThat(delivered).startsWith("Return-Path: <alice@example.test>\r\nDelivered-To: bob@remote.test\r\n")
                .contains("by mx.remote.test (mailserver)", "by mail.example.test (mailserver)")
                .endsWith("\r\nHello Bob\r\n");
        awaitEmptyQueue();
    }

    @Test
    void aGreylistingDestinationIsRetriedThenDelivered() throws Exception {
        submit("carol@greylist.test", "Subject: greylisted\r\n\r\nPlease retry\r\n");

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (greylisting.messages.isEmpty()) {
            assertThat(System.nanoTime()).as("greylisted message delivered on a retry").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(greylisting.rcptCommands.get()).isGreaterThanOrEqualTo(2);
        assertThat(greylisting.messages.get(0)).contains("Subject: greylisted\r\n").endsWith("Please retry\r\n");
        awaitEmptyQueue();
    }

    @Test
    void aRecipientRefusedForGoodBouncesIntoTheLocalSendersInbox() throws Exception {
        submit("nobody@remote.test", "Subject: to nobody\r\nMessage-ID: <refused@example.test>\r\n\r\nWho?\r\n");

        String dsn = awaitMessage(maildir(senderConfig, "example.test", "alice"), "Final-Recipient: rfc822; nobody@remote.test");
        assertThat(dsn).startsWith("Return-Path: <>\r\nDelivered-To: alice@example.test\r\n")
                .contains("From: MAILER-DAEMON@mail.example.test", "Content-Type: multipart/report; report-type=delivery-status;",
                        "Reporting-MTA: dns; mail.example.test\r\n", "Action: failed\r\n", "Status: 5.1.1\r\n",
                        "Remote-MTA: dns; mx.remote.test\r\n", "Diagnostic-Code: smtp; 550 5.1.1",
                        "Content-Type: message/rfc822", "Message-ID: <refused@example.test>", "\r\nWho?\r\n");
        awaitEmptyQueue();
    }

    @Test
    void anUnreachableDestinationIsRetriedListedAndBouncedAtExpiryUnlessDeleted() throws Exception {
        submit("dave@dead.test", "Subject: to the void\r\n\r\nAnyone?\r\n");
        submit("eve@dead.test", "Subject: deleted\r\n\r\nNever mind\r\n");

        String config = senderConfig.source().toString();
        String listed = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (listed.lines().filter(line -> line.strip().startsWith("(")).count() < 2) {
            assertThat(System.nanoTime()).as("both entries listed with their last error").isLessThan(deadline);
            listed = cli("queue", "list", "--config", config);
            Thread.sleep(50);
        }
        assertThat(listed).contains("alice@example.test", "dave@dead.test", "eve@dead.test", "in 2 Requests.");
        QueueStore store = new QueueStore(senderConfig.server().dataDir().resolve("queue"));
        String dave = entryFor(store, "dave@dead.test");
        String eve = entryFor(store, "eve@dead.test");
        assertThat(cli("queue", "retry", dave, "--config", config)).contains("retry requested for " + dave);
        assertThat(cli("queue", "delete", eve, "--config", config)).contains("deleted " + eve);

        String dsn = awaitMessage(maildir(senderConfig, "example.test", "alice"), "Final-Recipient: rfc822; dave@dead.test");
        assertThat(dsn).contains("Action: failed\r\n", "Status: 4.", "Subject: to the void");
        awaitEmptyQueue();
        // Dave's entry was retried until it expired, long after Eve's next attempt would have been due.
        assertThat(store.read(eve)).isEmpty();
        assertThat(messagesIn(maildir(senderConfig, "example.test", "alice"))).noneMatch(m -> m.contains("eve@dead.test"));
    }

    @Test
    void notifySuccessRelayedToAServerWithoutDsnBringsARelayedReport() throws Exception {
        submit("frank@plain.test", " NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;frank@plain.test",
                "Subject: relayed\r\nMessage-ID: <relayed@example.test>\r\n\r\nTo a server without DSN\r\n");

        String dsn = awaitMessage(maildir(senderConfig, "example.test", "alice"), "Final-Recipient: rfc822; frank@plain.test");
        assertThat(dsn).startsWith("Return-Path: <>\r\nDelivered-To: alice@example.test\r\n")
                .contains("Subject: Successful Mail Delivery Report", "Reporting-MTA: dns; mail.example.test\r\n",
                        "Original-Recipient: rfc822;frank@plain.test\r\n", "Action: relayed\r\n", "Status: 2.0.0\r\n",
                        "Remote-MTA: dns; mx.plain.test\r\n", "Diagnostic-Code: smtp; 250 2.0.0 Ok: queued as GREY",
                        "Content-Type: text/rfc822-headers", "Message-ID: <relayed@example.test>")
                .doesNotContain("To a server without DSN");
        assertThat(withoutDsn.messages).anyMatch(m -> m.contains("Message-ID: <relayed@example.test>"));
        awaitEmptyQueue();
    }

    @Test
    void notifySuccessGoesOnToANextHopWithDsnWhichReportsTheDelivery() throws Exception {
        submit("bob@remote.test", " NOTIFY=SUCCESS", "Subject: reported by bob's server\r\n\r\nHello again\r\n");

        awaitMessage(maildir(receiverConfig, "remote.test", "bob"), "Subject: reported by bob's server");
        // The receiver tells alice through its own queue, to the MX it finds for example.test: the server on 127.0.0.5.
        String report = awaitMessage(withoutDsn.messages, "Final-Recipient: rfc822; bob@remote.test");
        assertThat(report).contains("To: <alice@example.test>", "Reporting-MTA: dns; mx.remote.test\r\n",
                "Action: delivered\r\n", "Status: 2.0.0\r\n", "Subject: reported by bob's server");
        awaitEmptyQueue();
        assertThat(messagesIn(maildir(senderConfig, "example.test", "alice")))
                .noneMatch(m -> m.contains("Action: relayed") && m.contains("bob@remote.test"));
    }

    @Test
    void notifySuccessForALocalMailboxBringsADeliveredReport() throws Exception {
        submit("alice@example.test", " NOTIFY=SUCCESS", "Subject: note to self\r\n\r\nRemember the milk\r\n");

        String dsn = awaitMessage(maildir(senderConfig, "example.test", "alice"), "Action: delivered");
        assertThat(dsn).startsWith("Return-Path: <>\r\nDelivered-To: alice@example.test\r\n")
                .contains("From: MAILER-DAEMON@mail.example.test", "Final-Recipient: rfc822; alice@example.test\r\n",
                        "Status: 2.0.0\r\n", "Subject: note to self")
                .doesNotContain("Remember the milk");
    }

    private static String entryFor(QueueStore store, String recipient) throws IOException {
        for (String id : store.ids()) {
            if (store.read(id).orElseThrow().recipients().get(0).address().equals(recipient)) {
                return id;
            }
        }
        throw new AssertionError("no queue entry for " + recipient);
    }

    private static void submit(String recipient, String message) throws Exception {
        submit(recipient, "", message);
    }

    /** @param rcptParameters what follows {@code RCPT TO:<recipient>}, with a leading space */
    private static void submit(String recipient, String rcptParameters, String message) throws Exception {
        try (TlsLineClient smtp = TlsLineClient.smtpStartTls(sender.boundPort("submission"), "client.example.test")) {
            smtp.send("EHLO client.example.test");
            smtp.readUntil("250 ");
            String plain = Base64.getEncoder().encodeToString("\0alice@example.test\0alice-pw".getBytes(StandardCharsets.UTF_8));
            smtp.send("AUTH PLAIN " + plain);
            assertThat(smtp.readLine()).startsWith("235 ");
            smtp.send("MAIL FROM:<alice@example.test>");
            assertThat(smtp.readLine()).startsWith("250 ");
            smtp.send("RCPT TO:<" + recipient + ">" + rcptParameters);
            assertThat(smtp.readLine()).startsWith("250 ");
            smtp.send("DATA");
            assertThat(smtp.readLine()).startsWith("354 ");
            smtp.write(message.getBytes(StandardCharsets.UTF_8));
            smtp.send(".");
            assertThat(smtp.readLine()).startsWith("250 ");
            smtp.send("QUIT");
        }
    }

    /** What {@code mailserver ARGS} prints, as an admin on the same host runs it. */
    private static synchronized String cli(String... args) {
        PrintStream previous = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(MailserverCommand.execute(args)).isZero();
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> queueIds(Path queue) throws IOException {
        try (Stream<Path> files = Files.list(queue)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).toList();
        }
    }

    private static void awaitEmptyQueue() throws Exception {
        Path queue = senderConfig.server().dataDir().resolve("queue");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!queueIds(queue).isEmpty()) {
            assertThat(System.nanoTime()).as("sender's queue emptied").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Path maildir(MailserverConfig config, String domain, String user) {
        return config.storage().maildirRoot().resolve(domain).resolve(user).resolve("new");
    }

    /** The first message in {@code folder} containing {@code text}, waiting up to 30 s for it. */
    private static String awaitMessage(Path folder, String text) throws Exception {
        return awaitMessage(() -> messagesIn(folder), text, folder.toString());
    }

    /** The same for the messages a {@link ScriptedSmtpServer} received. */
    private static String awaitMessage(List<String> received, String text) throws Exception {
        return awaitMessage(() -> received, text, "a scripted server");
    }

    private static String awaitMessage(Messages messages, String text, String where) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (String message : messages.now()) {
                if (message.contains(text)) {
                    return message;
                }
            }
            assertThat(System.nanoTime()).as("a message with %s in %s", text, where).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    private interface Messages {
        List<String> now() throws IOException;
    }

    private static List<String> messagesIn(Path folder) throws IOException {
        List<String> messages = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> list = Files.list(folder)) {
                for (Path f : list.toList()) {
                    messages.add(Files.readString(f, StandardCharsets.UTF_8));
                }
            }
        }
        return messages;
    }

    private static MailserverConfig config(String name, String hostname, String listeners, String common) throws Exception {
        Path dir = Files.createDirectories(folder.resolve(name));
        Path file = Files.writeString(dir.resolve("mailserver.yml"), "server:\n  hostname: " + hostname
                + "\n  data-dir: ./data\n  shutdown-grace: 1s\nlisteners:\n" + listeners
                + disabled("imap", "imaps", "pop3", "pop3s") + common);
        return ConfigLoader.load(file);
    }

    private static String disabled(String... listeners) {
        StringBuilder yaml = new StringBuilder();
        for (String l : listeners) {
            yaml.append("  ").append(l).append(": { enabled: false }\n");
        }
        return yaml.toString();
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }
}

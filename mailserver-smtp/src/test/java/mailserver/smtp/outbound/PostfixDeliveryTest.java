package mailserver.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mailserver.core.config.OutboundConfig;
import mailserver.core.config.OutboundConfig.TlsPolicy;
import mailserver.core.dns.TestDnsServer;
import mailserver.smtp.outbound.RecipientOutcome.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Delivery to a real Postfix (Debian package postfix): a private instance of it
 * ({@code postfix -c <dir> start}, its own queue, smtpd on 127.0.0.3 and a free port with
 * STARTTLS (certificate made by openssl), virtual Maildir delivery for pf.test), found through
 * the test DNS, reached with required TLS, stopped at the end. The system's
 * own Postfix, if any, is left alone. Needs root (Postfix's master does); skipped without
 * Postfix or root, failed instead when CI=true.
 */
class PostfixDeliveryTest {

    static final Path POSTFIX = Path.of("/usr/sbin/postfix");

    @TempDir
    static Path dir;
    static Path conf;
    static TestDnsServer dns;
    static SmtpTransport transport;
    static int port;

    @BeforeAll
    static void startPostfix() throws Exception {
        boolean usable = Files.isExecutable(POSTFIX) && "root".equals(System.getProperty("user.name"));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(usable).as("CI must run this test as root with postfix installed (apt-get install postfix)").isTrue();
        }
        assumeTrue(usable, "postfix not installed or not root; skipped (apt-get install postfix; CI=true makes this a failure)");

        port = freePort();
        conf = Files.createDirectories(dir.resolve("conf"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("queue"));
        // Postfix's own processes run as the postfix user: they must reach and write these.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path owned : List.of(mail, data)) {
            UserPrincipalLookupService users = owned.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(owned, users.lookupPrincipalByName("postfix"));
            Files.getFileAttributeView(owned, PosixFileAttributeView.class)
                    .setGroup(users.lookupPrincipalByGroupName("postfix"));
        }
        // STARTTLS with a throwaway certificate, so our TLS client meets Postfix's OpenSSL.
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=mx.pf.test", "-keyout", conf.resolve("key.pem").toString(),
                "-out", conf.resolve("cert.pem").toString()).redirectErrorStream(true).start();
        String opensslOutput = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as("openssl: " + opensslOutput).isZero();
        int uid = (Integer) Files.getAttribute(mail, "unix:uid");
        int gid = (Integer) Files.getAttribute(mail, "unix:gid");
        Files.writeString(conf.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("queue"),
                "data_directory = " + data,
                // Postfix insists that inet_interfaces be addresses of this host; master.cf binds 127.0.0.3.
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "myhostname = postfix.pf.test",
                "mydestination =",
                "virtual_mailbox_domains = pf.test",
                "virtual_mailbox_base = " + mail,
                "virtual_mailbox_maps = texthash:" + conf.resolve("vmailbox"),
                "virtual_uid_maps = static:" + uid,
                "virtual_gid_maps = static:" + gid,
                "smtputf8_enable = yes",
                "smtpd_tls_security_level = may",
                "smtpd_tls_cert_file = " + conf.resolve("cert.pem"),
                "smtpd_tls_key_file = " + conf.resolve("key.pem"),
                "maillog_file = " + dir.resolve("maillog"),
                "maillog_file_prefixes = " + dir,
                ""));
        Files.writeString(conf.resolve("vmailbox"), "user@pf.test pf.test/user/\n");
        Files.writeString(conf.resolve("master.cf"), String.join("\n",
                "127.0.0.3:" + port + " inet n - n - - smtpd",
                "cleanup unix n - n - 0 cleanup",
                "qmgr unix n - n 300 1 qmgr",
                "rewrite unix - - n - - trivial-rewrite",
                "bounce unix - - n - 0 bounce",
                "defer unix - - n - 0 bounce",
                "trace unix - - n - 0 bounce",
                "verify unix - - n - 1 verify",
                "proxymap unix - - n - - proxymap",
                "error unix - - n - - error",
                "retry unix - - n - - error",
                "discard unix - - n - - discard",
                "virtual unix - n n - - virtual",
                "anvil unix - - n - 1 anvil",
                "scache unix - - n - 1 scache",
                "tlsmgr unix - - n 1000? 1 tlsmgr",
                "postlog unix-dgram n - n - 1 postlogd",
                ""));
        run("start");
        waitUntilListening();

        dns = TestDnsServer.start();
        dns.add("pf.test", Type.MX, "10 mx.pf.test.");
        dns.add("mx.pf.test", Type.A, "127.0.0.3");
        transport = new SmtpTransport(new OutboundConfig("client.example.test", port, TlsPolicy.ENCRYPT, null, Map.of(),
                Duration.ofSeconds(2), OutboundTestConfigs.TIMEOUTS), OutboundTestConfigs.resolver(dns));
    }

    @AfterAll
    static void stopPostfix() throws Exception {
        if (transport != null) {
            transport.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (conf != null && Files.exists(conf.resolve("master.cf"))) {
            run("stop");
        }
    }

    @Test
    void postfixTakesTheMessageAndDeliversItToItsMaildir() throws Exception {
        // With Date and Message-ID, so Postfix's cleanup adds no header of its own below Received.
        String content = "From: Sender <sender@origin.test>\r\nTo: user@pf.test\r\nSubject: to postfix\r\n"
                + "Date: Sun, 29 Nov 2026 09:00:00 +0000\r\nMessage-ID: <outbound-test@origin.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Gr\u00fc\u00dfe\r\n.leading dot\r\n.\r\nend\r\n";
        Path file = Files.write(dir.resolve("message.eml"), content.getBytes(StandardCharsets.UTF_8));
        OutboundMessage message = new OutboundMessage("Q1", "pf.test", "sender@origin.test",
                List.of(new OutboundRecipient("user@pf.test", List.of("SUCCESS", "FAILURE"), "rfc822;user@pf.test"),
                        new OutboundRecipient("nobody@pf.test", List.of(), null)),
                file, Files.size(file), true, false, "envelope 1", "HDRS");

        List<RecipientOutcome> outcomes = transport.deliver(message).get(60, TimeUnit.SECONDS);

        String relay = "mx.pf.test[127.0.0.3]:" + port;
        assertThat(outcomes.get(0).status()).as(outcomes.get(0).toString()).isEqualTo(Status.SENT);
        assertThat(outcomes.get(0).relay()).isEqualTo(relay);
        assertThat(outcomes.get(0).diagnostic()).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(outcomes.get(1).status()).isEqualTo(Status.BOUNCED);
        assertThat(outcomes.get(1).dsnCode()).isEqualTo("5.1.1");
        assertThat(outcomes.get(1).diagnostic()).contains("User unknown in virtual mailbox table");

        Path delivered = waitForMessage(dir.resolve("mail/pf.test/user/new"));
        String text = Files.readString(delivered, StandardCharsets.UTF_8);
        // Postfix stores LF line ends in its Maildir; the message is otherwise what we sent.
        assertThat(text).endsWith("\n" + content.replace("\r\n", "\n"))
                .contains("Received: from client.example.test (")
                .contains(") with ESMTPS id ")
                .startsWith("Return-Path: <sender@origin.test>\n");
    }

    private static Path waitForMessage(Path newDir) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (Files.isDirectory(newDir)) {
                try (Stream<Path> files = Files.list(newDir)) {
                    List<Path> found = files.toList();
                    if (!found.isEmpty()) {
                        return found.get(0);
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Postfix did not deliver within 30s; its log:\n" + maillog());
    }

    private static void run(String command) throws Exception {
        Process process = new ProcessBuilder(POSTFIX.toString(), "-c", conf.toString(), command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("postfix " + command + ": " + output + "\nlog:\n" + maillog()).isZero();
    }

    private static void waitUntilListening() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.3", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("Postfix's smtpd does not listen on 127.0.0.3:" + port + "; its log:\n" + maillog());
    }

    private static String maillog() throws IOException {
        Path log = dir.resolve("maillog");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.3"))) {
            return socket.getLocalPort();
        }
    }
}

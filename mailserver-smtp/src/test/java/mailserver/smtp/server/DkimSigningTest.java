package mailserver.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import mailserver.core.dns.TestDnsServer;
import mailserver.smtp.dkim.DkimKeys;
import mailserver.smtp.dkim.DkimSigner;
import mailserver.smtp.dkim.DkimTxtRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * DKIM signing through the real SMTP path (submission or port 25, the real directory, the queue
 * writer), checked by an independent verifier: dkimpy (Debian python3-dkim) in
 * src/test/python/dkim_verify.py, which fetches the public key with dnspython
 * (python3-dnspython) from the loopback {@link TestDnsServer}, serving the record exactly as
 * {@code mailserver dkim show} prints it. Skipped without them, failed under CI=true.
 */
class DkimSigningTest {

    private static final Path VERIFIER = Path.of("src/test/python/dkim_verify.py");

    @TempDir
    static Path dir;
    static RealServer server;
    static TestDnsServer dns;
    private static String python;

    @BeforeAll
    static void start() throws Exception {
        dns = TestDnsServer.start();
        // Port 25 trusts no network here, so only authenticated mail is ours to sign; no key cache, so rotation shows at once.
        server = new RealServer(dir, true, directory -> new DkimSigner(directory, List.of(), Duration.ZERO));
        publishNewKey("example.org", "mail");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void submittedMailIsSignedInTheQueueAndVerifiesButTheLocalCopyIsNot() throws Exception {
        String message = "From: Alice <alice@example.org>\r\n"
                + "To: friend@remote.example, alice@example.org\r\n"
                + "Subject: signed\r\n"
                + "Date: Sun, 29 Nov 2026 09:00:00 +0000\r\n"
                + "Message-ID: <signed.1@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "Hello, this is signed.\r\n";
        int inbox = server.inbox("alice@example.org").size();
        String id = submit("alice@example.org", List.of("friend@remote.example", "alice@example.org"), message.getBytes(StandardCharsets.US_ASCII), "");

        String queued = Files.readString(queued(id), StandardCharsets.UTF_8);
        assertThat(queued).startsWith("DKIM-Signature: v=1; a=rsa-sha256; q=dns/txt; c=relaxed/relaxed;").contains("d=example.org;", "s=mail;");
        String afterSignature = queued.substring(queued.indexOf("\r\nReceived: ") + 2);
        assertThat(afterSignature).as("the message behind the field is the spooled message, untouched")
                .startsWith("Received: from client.example").endsWith("\r\n\r\n" + message.substring(message.indexOf("\r\n\r\n") + 4))
                .contains(message);
        assertThat(verify(queued(id))).isEqualTo("pass d=example.org s=mail");

        List<Path> local = server.inbox("alice@example.org");
        assertThat(local).hasSize(inbox + 1);
        assertThat(Files.readString(local.get(local.size() - 1), StandardCharsets.UTF_8)).doesNotContain("DKIM-Signature");
    }

    @Test
    void aTamperedQueuedCopyFails() throws Exception {
        String id = submit("alice@example.org", List.of("friend@remote.example"), simple("alice@example.org", "tamper me", "Pay 10 EUR.\r\n"), "");
        Path signed = queued(id);
        assertThat(verify(signed)).startsWith("pass");

        Path body = dir.resolve("tampered-body.eml");
        Files.writeString(body, Files.readString(signed).replace("Pay 10 EUR.", "Pay 99 EUR."));
        assertThat(verify(body)).startsWith("fail");

        Path subject = dir.resolve("tampered-subject.eml");
        Files.writeString(subject, Files.readString(signed).replace("Subject: tamper me", "Subject: tampered"));
        assertThat(verify(subject)).startsWith("fail");
    }

    @Test
    void mailFromADomainWithoutKeyOrFromElsewhereIsNotSigned() throws Exception {
        String local = submit("alice@example.org", List.of("friend@remote.example"), simple("carol@catchall.test", "no key", "x\r\n"), "");
        assertThat(verify(queued(local))).isEqualTo("unsigned");
        String foreign = submit("alice@example.org", List.of("friend@remote.example"), simple("someone@remote.example", "not ours", "x\r\n"), "");
        assertThat(verify(queued(foreign))).isEqualTo("unsigned");
    }

    @Test
    void mailFromTheInternetIsNotSignedEvenWithOurFromDomain() throws Exception {
        // A forwarding alias carries it on; signing it would vouch for a forgery.
        String id = send(RawClient.plain(server.port("smtp")), null, "someone@remote.example", List.of("forward@example.org"),
                simple("alice@example.org", "forged", "x\r\n"), "");
        assertThat(verify(queued(id))).isEqualTo("unsigned");
    }

    @Test
    void eightBitLongAndFoldedHeadersVerify() throws Exception {
        String references = String.join("\r\n ", IntStream.range(0, 40)
                .mapToObj(i -> "<thread." + i + ".aaaaaaaaaaaaaaaaaaaa@example.org>").toList());
        String message = "From: =?utf-8?q?J=C3=BCrgen?= <jürgen@example.org>\r\n"
                + "To: Friend <friend@remote.example>,\r\n"
                + "\tOther   Friend <other@remote.example>,\r\n"
                + "    Third <third@remote.example>\r\n"
                + "Subject: Ärger über Öl,  \t  a  long   and\r\n"
                + "  folded\tsubject \r\n"
                + "References: " + references + "\r\n"
                + "X-Long: " + "y".repeat(900) + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Grüße   mit \t Leerraum   \r\n"
                + "und einer sehr langen Zeile: " + "ä".repeat(600) + "\r\n"
                + "\r\n\r\n\r\n";
        String id = submit("jürgen@example.org", List.of("friend@remote.example"), message.getBytes(StandardCharsets.UTF_8),
                " BODY=8BITMIME SMTPUTF8");
        assertThat(verify(queued(id))).isEqualTo("pass d=example.org s=mail");
    }

    @Test
    void eightBitTextThatIsNotUtf8IsQueuedUnsigned() throws Exception {
        byte[] latin1 = "From: alice@example.org\r\nSubject: latin-1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nd\u00e9j\u00e0 vu\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        String id = submit("alice@example.org", List.of("friend@remote.example"), latin1, " BODY=8BITMIME");
        assertThat(verify(queued(id))).as("not lost, only unsigned").isEqualTo("unsigned");
    }

    @Test
    void anUnusableKeyLeavesTheMessageUnsignedNotLost() throws Exception {
        server.directory.addDomain("broken.example", "");
        server.directory.addDkimKey("broken.example", "bad", "not a PEM key", "x");
        String id = submit("alice@example.org", List.of("friend@remote.example"), simple("news@broken.example", "broken", "x\r\n"), "");
        assertThat(verify(queued(id))).isEqualTo("unsigned");
    }

    @Test
    void aNewKeySignsAtOnceAfterRotation() throws Exception {
        server.directory.addDomain("rotate.example", "");
        publishNewKey("rotate.example", "k1");
        String first = submit("alice@example.org", List.of("friend@remote.example"), simple("news@rotate.example", "one", "1\r\n"), "");
        assertThat(verify(queued(first))).isEqualTo("pass d=rotate.example s=k1");
        publishNewKey("rotate.example", "k2");
        String second = submit("alice@example.org", List.of("friend@remote.example"), simple("news@rotate.example", "two", "2\r\n"), "");
        assertThat(verify(queued(second))).isEqualTo("pass d=rotate.example s=k2");
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A key in the directory, its record in DNS as {@code mailserver dkim show} prints it (zone-file syntax). */
    private static void publishNewKey(String domain, String selector) throws Exception {
        DkimKeys.GeneratedKey key = DkimKeys.generate();
        server.directory.addDkimKey(domain, selector, key.privateKeyPem(), key.publicKey());
        String zoneLine = DkimTxtRecord.zoneLine(domain, selector, key.publicKey());
        String rdata = zoneLine.substring(zoneLine.indexOf('(') + 1, zoneLine.lastIndexOf(')')).strip();
        dns.add(DkimTxtRecord.name(domain, selector), Type.TXT, rdata);
    }

    private static byte[] simple(String from, String subject, String body) {
        return ("From: " + from + "\r\nTo: friend@remote.example\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject.hashCode()
                + "@example.org>\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    /** Over submissions (implicit TLS) as {@code user}, who is also MAIL FROM; returns the queue id. */
    private static String submit(String user, List<String> recipients, byte[] message, String mailParameters) throws Exception {
        return send(RawClient.tls(server.port("submissions")), user, user, recipients, message, mailParameters);
    }

    private static String send(RawClient c, String authUser, String mailFrom, List<String> recipients, byte[] message,
            String mailParameters) throws Exception {
        try (c) {
            c.reply();
            c.send("EHLO client.example\r\n");
            c.reply();
            if (authUser != null) {
                c.send("AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0" + authUser + "\0" + RealServer.PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)) + "\r\n");
                assertThat(c.last()).startsWith("235");
            }
            c.send("MAIL FROM:<" + mailFrom + ">" + mailParameters + "\r\n");
            assertThat(c.last()).startsWith("250");
            for (String rcpt : recipients) {
                c.send("RCPT TO:<" + rcpt + ">\r\n");
                assertThat(c.last()).startsWith("250");
            }
            c.send("DATA\r\n");
            assertThat(c.last()).startsWith("354");
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            data.write(message);
            data.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            c.send(data.toByteArray());
            String reply = c.last();
            assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
            c.send("QUIT\r\n");
            return reply.substring("250 2.0.0 Ok: queued as ".length()).strip();
        }
    }

    private static Path queued(String queueId) {
        Path file = server.queueDir().resolve(queueId + ".eml");
        assertThat(file).exists();
        return file;
    }

    /** "pass d=... s=...", "fail: ..." or "unsigned", from dkimpy. */
    private static String verify(Path message) throws Exception {
        String python = python();
        List<String> command = new ArrayList<>(List.of(python, VERIFIER.toString(), message.toString(),
                String.valueOf(dns.address().getPort())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("dkim_verify.py did not finish: " + output);
        }
        return output;
    }

    /** The first Python 3 that has dkimpy and dnspython (Debian's, not a pyenv one without them). */
    private static synchronized String python() {
        if (python != null) {
            return python;
        }
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import dkim, dns.message").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    return candidate;
                }
            } catch (Exception e) {
                // try the next one
            }
        }
        String missing = "python3 with dkimpy and dnspython (apt-get install python3-dkim python3-dnspython)";
        assumeTrue("true".equals(System.getenv("CI")), missing + " not installed; skipped");
        throw new AssertionError(missing + " is required under CI=true");
    }
}

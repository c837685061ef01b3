package mailserver.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import mailserver.core.config.ChecksConfig;
import mailserver.core.config.DnsConfig;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;
import mailserver.smtp.checks.InboundChecks;
import mailserver.store.FolderInfo;
import mailserver.store.MailStore;
import mailserver.store.Mailbox;
import mailserver.store.Quota;
import mailserver.store.SpecialUse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * SPF, DKIM and DMARC over real sockets: the real server (directory, Maildir) with its checks
 * asking the loopback DNS server, whose zone holds the senders' SPF, DKIM and DMARC records.
 * The client is on 127.0.0.1, a stranger on port 25 (no relay networks). DKIM signatures are
 * made by python3-dkim's {@code dkimsign}, so the test does not trust our own signer.
 */
class ChecksEndToEndTest {

    private static final String OURS = "mx.example.org";

    @TempDir
    static Path dir;
    static TestDnsServer dns;
    static RealServer server;
    static Path privateKey;

    @BeforeAll
    static void start() throws Exception {
        dns = TestDnsServer.start();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        privateKey = Files.writeString(dir.resolve("dkim.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        String publicKey = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
        for (String signer : List.of("sender.example", "strict.example", "mail.strict.example", "mail.relaxed.example")) {
            dns.addTxt("sel._domainkey." + signer, publicKey);
        }
        dns.addTxt("sender.example", "v=spf1 ip4:127.0.0.1 -all");
        dns.addTxt("_dmarc.sender.example", "v=DMARC1; p=reject");
        dns.addTxt("_dmarc.bank.example", "v=DMARC1; p=reject");
        dns.addTxt("quarantine.example", "v=spf1 ?all");
        dns.addTxt("_dmarc.quarantine.example", "v=DMARC1; p=quarantine");
        dns.addTxt("spffail.example", "v=spf1 ip4:192.0.2.0/24 -all");
        dns.addTxt("explained.example", "v=spf1 -all exp=why.explained.example");
        dns.addTxt("why.explained.example", "%{i} is not a mail server of %{d}");
        dns.addTxt("soft.example", "v=spf1 ~all");
        dns.servfail("tempfail.example");
        // for the DMARC table
        dns.addTxt("bounce.relaxed.example", "v=spf1 ip4:127.0.0.1 -all");
        dns.addTxt("_dmarc.relaxed.example", "v=DMARC1; p=reject");
        dns.addTxt("bounce.strict.example", "v=spf1 ip4:127.0.0.1 -all");
        dns.addTxt("_dmarc.strict.example", "v=DMARC1; p=reject; adkim=s; aspf=s");
        dns.addTxt("_dmarc.parent.example", "v=DMARC1; p=reject; sp=quarantine");
        dns.addTxt("_dmarc.example.co.uk", "v=DMARC1; p=quarantine");
        dns.addTxt("_dmarc.monitor.example", "v=DMARC1; p=none");
        dns.addTxt("_dmarc.sampled.example", "v=DMARC1; p=reject; pct=0");
        dns.addTxt("_dmarc.several.example", "v=DMARC1; p=reject");
        dns.addTxt("_dmarc.several.example", "v=DMARC1; p=quarantine");
        dns.servfail("_dmarc.dnsfail.example");
        // Our own domain forbids every host: checking authenticated submission would refuse it.
        dns.addTxt("example.org", "v=spf1 -all");
        dns.addTxt("_dmarc.example.org", "v=DMARC1; p=reject");

        DnsResolver resolver = new DnsResolver(new DnsConfig(List.of(dns.address()), Duration.ofMillis(500), 0, false));
        ChecksConfig config = new ChecksConfig(OURS, ChecksConfig.SpfAction.REJECT, ChecksConfig.TemperrorAction.DEFER, true,
                ChecksConfig.DmarcMode.ENFORCE, List.of(), Map.of());
        server = new RealServer(dir, true, InboundChecks.create(config, RealServer.HOSTNAME, resolver));
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
    void aSignedAlignedMessageIsDeliveredWithTheResultsAndWithoutForgedResults() throws Exception {
        String forged = "Authentication-Results: mx.example.org; dkim=pass header.d=bank.example\r\n";
        String foreign = "Authentication-Results: other.example; spf=pass smtp.mailfrom=x@other.example\r\n";
        String signed = dkimSign("sender.example", "From: Alice <alice@sender.example>\r\nTo: alice@example.org\r\nSubject: signed\r\n"
                + forged + foreign + "\r\nHello\r\n");
        Matcher b = Pattern.compile("\\bb=([A-Za-z0-9+/]{8})").matcher(signed);
        assertThat(b.find()).isTrue();

        List<Path> before = server.inbox("alice@example.org");
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            assertThat(send(c, "bounce@sender.example", "alice@example.org", signed)).last().asString().startsWith("250 2.0.0 Ok");
        }

        String delivered = Files.readString(added(server.inbox("alice@example.org"), before), StandardCharsets.UTF_8);
        int ours = delivered.indexOf("\r\nAuthentication-Results: mx.example.org;\r\n") + 2;
        assertThat(delivered.substring(0, ours)).matches("Return-Path: <bounce@sender\\.example>\r\nDelivered-To: alice@example\\.org\r\n"
                + "Received: from client\\.example \\(unknown \\[127\\.0\\.0\\.1\\]\\)\r\n(\t[^\r]*\r\n)+");
        assertThat(delivered.substring(ours)).isEqualTo("Authentication-Results: mx.example.org;\r\n"
                + "\tspf=pass smtp.mailfrom=bounce@sender.example;\r\n"
                + "\tdkim=pass header.d=sender.example header.s=sel header.b="
                + (b.group(1).contains("/") ? "\"" + b.group(1) + "\"" : b.group(1)) + ";\r\n"
                + "\tdmarc=pass (p=reject dis=none) header.from=sender.example\r\n"
                + "Received-SPF: pass (mx.example.org: domain of bounce@sender.example designates 127.0.0.1 as permitted sender)"
                + " client-ip=127.0.0.1; envelope-from=\"bounce@sender.example\"; helo=client.example; receiver=mx.example.org;"
                + " identity=mailfrom;\r\n"
                + signed.replace(forged, ""));
        assertThat(delivered).contains(foreign);
    }

    @Test
    void dmarcRejectRefusesTheMessageAndDeliversNothing() throws Exception {
        List<Path> before = server.inbox("bob@example.org");
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            assertThat(send(c, "bounce@sender.example", "bob@example.org",
                    "From: The CEO <ceo@bank.example>\r\nSubject: wire the money\r\n\r\nnow\r\n"))
                    .containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
                            "550 5.7.1 Message rejected per the DMARC policy of bank.example");
            assertThat(send(c, "bounce@sender.example", "bob@example.org",
                    "From: a@sender.example\r\nFrom: ceo@bank.example\r\nSubject: two authors\r\n\r\nnow\r\n"))
                    .last().isEqualTo("550 5.7.1 Message rejected: 2 From headers (RFC 5322 3.6.2, RFC 7489 6.6.1)");
        }
        assertThat(server.inbox("bob@example.org")).isEqualTo(before);
    }

    /**
     * DMARC end to end, one message per row: MAIL FROM (SPF: 127.0.0.1 is allowed for
     * bounce.relaxed.example and bounce.strict.example, nothing is published for the rest),
     * the From address, the DKIM signing domain ("-": unsigned), then what becomes of the
     * message (the refusal, or the folder it lands in) and the start of its dmarc result.
     */
    @ParameterizedTest(name = "MAIL FROM {0}, From {1}, signed by {2}: {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // alignment, relaxed and strict
            "x@bounce.relaxed.example | a@relaxed.example       | -                    | INBOX | dmarc=pass (p=reject dis=none)",
            "x@nowhere.example        | a@relaxed.example       | mail.relaxed.example | INBOX | dmarc=pass (p=reject dis=none)",
            "x@bounce.strict.example  | a@strict.example        | strict.example       | INBOX | dmarc=pass (p=reject dis=none)",
            "x@bounce.strict.example  | a@strict.example        | -                    | 550 5.7.1 Message rejected per the DMARC policy of strict.example | -",
            "x@nowhere.example        | a@strict.example        | mail.strict.example  | 550 5.7.1 Message rejected per the DMARC policy of strict.example | -",
            // policies: sp= for subdomains, the organisational domain from the PSL, p=none, pct=0
            "x@news.parent.example    | a@news.parent.example   | -                    | Junk  | dmarc=fail (p=quarantine dis=quarantine;",
            "x@parent.example         | a@parent.example        | -                    | 550 5.7.1 Message rejected per the DMARC policy of parent.example | -",
            "x@mail.example.co.uk     | a@mail.example.co.uk    | -                    | Junk  | dmarc=fail (p=quarantine dis=quarantine;",
            "x@monitor.example        | a@monitor.example       | -                    | INBOX | dmarc=fail (p=none dis=none;",
            "x@sampled.example        | a@sampled.example       | -                    | Junk  | dmarc=fail (p=reject dis=quarantine;",
            // no usable record, DNS trouble
            "x@norecord.example       | a@norecord.example      | -                    | INBOX | dmarc=none (no DMARC record for norecord.example)",
            "x@several.example        | a@several.example       | -                    | INBOX | dmarc=none (several DMARC records at _dmarc.several.example, none used)",
            "x@dnsfail.example        | a@dnsfail.example       | -                    | INBOX | dmarc=temperror (DNS lookup of _dmarc.dnsfail.example failed",
    })
    void dmarcOverSmtp(String mailFrom, String from, String signer, String outcome, String dmarc) throws Exception {
        String message = "From: " + from + "\r\nTo: bob@example.org\r\nSubject: case\r\n\r\ntext\r\n";
        String sent = signer == null ? message : dkimSign(signer, message);
        List<Path> inbox = server.inbox("bob@example.org");
        List<Path> junk = server.folder("bob@example.org", ".Junk");
        String reply;
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            List<String> replies = send(c, mailFrom, "bob@example.org", sent);
            reply = replies.get(replies.size() - 1);
        }
        if (outcome.startsWith("5")) {
            assertThat(reply).isEqualTo(outcome);
            assertThat(server.inbox("bob@example.org")).isEqualTo(inbox);
            assertThat(server.folder("bob@example.org", ".Junk")).isEqualTo(junk);
            return;
        }
        assertThat(reply).startsWith("250 2.0.0 Ok");
        Path file = outcome.equals("Junk") ? added(server.folder("bob@example.org", ".Junk"), junk)
                : added(server.inbox("bob@example.org"), inbox);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("\r\n\t" + dmarc).endsWith(sent);
    }

    @Test
    void dmarcQuarantineDeliversIntoANewJunkFolder() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            assertThat(send(c, "news@quarantine.example", "carol@example.org",
                    "From: news@quarantine.example\r\nSubject: offer\r\n\r\nbuy\r\n")).last().asString().startsWith("250 2.0.0 Ok");
        } finally {
            root.detachAppender(log);
        }

        assertThat(server.inbox("carol@example.org")).isEmpty();
        String junk = Files.readString(added(server.folder("carol@example.org", ".Junk"), List.of()), StandardCharsets.UTF_8);
        assertThat(junk).contains("\r\nAuthentication-Results: mx.example.org;\r\n\tspf=neutral smtp.mailfrom=news@quarantine.example;\r\n"
                + "\tdkim=none;\r\n\tdmarc=fail (p=quarantine dis=quarantine; no aligned SPF or DKIM pass for quarantine.example"
                + " \\(record at _dmarc.quarantine.example, adkim=r, aspf=r\\)) header.from=quarantine.example\r\n"
                + "Received-SPF: neutral ");
        try (MailStore store = new MailStore("test.host")) {
            Mailbox carol = store.open(server.maildirRoot.resolve("example.org/carol/"), Quota.UNLIMITED);
            assertThat(carol.folders()).filteredOn(f -> f.name().equals("Junk")).singleElement()
                    .extracting(FolderInfo::specialUse).isEqualTo(Optional.of(SpecialUse.JUNK));
            assertThat(carol.subscriptions()).contains("Junk");
        }
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(line -> assertThat(line)
                .contains("from=<news@quarantine.example>", "status=accepted, spf=neutral, dkim=none, dmarc=fail (quarantine)"));
    }

    @Test
    void spfFailIsRefusedAtMailFromWhenTheListenerRejects() throws Exception {
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            c.send("EHLO client.example\r\n");
            c.reply();
            c.send("MAIL FROM:<someone@spffail.example>\r\n");
            assertThat(c.last()).isEqualTo("550 5.7.23 Message rejected due to SPF fail: spffail.example does not allow 127.0.0.1 to send its mail");
            c.send("MAIL FROM:<someone@explained.example>\r\n");
            assertThat(c.last()).isEqualTo("550 5.7.23 Message rejected due to SPF fail: 127.0.0.1 is not a mail server of explained.example");
            c.send("MAIL FROM:<someone@soft.example>\r\n");
            assertThat(c.last()).as("softfail is never refused").isEqualTo("250 2.1.0 Ok");
        }
    }

    @Test
    void spfTemperrorIsDeferredWhereConfigured() throws Exception {
        try (RawClient c = RawClient.plain(server.port("smtp"))) {
            c.reply();
            c.send("EHLO client.example\r\n");
            c.reply();
            c.send("MAIL FROM:<someone@tempfail.example>\r\n");
            assertThat(c.last()).startsWith("451 4.7.24 Temporary SPF error, try again later: ");
        }
    }

    @Test
    void authenticatedSubmissionIsNotChecked() throws Exception {
        try (RawClient c = RawClient.tls(server.port("submissions"))) {
            c.reply();
            c.send("EHLO client.example\r\n");
            c.reply();
            c.send("AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0small@example.org\0" + RealServer.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)) + "\r\n");
            assertThat(c.last()).isEqualTo("235 2.7.0 Authentication successful");
            assertThat(send(c, "small@example.org", "small@example.org",
                    "From: small@example.org\r\nSubject: mine\r\n\r\nown mail\r\n")).last().asString().startsWith("250 2.0.0 Ok");
        }
        String delivered = Files.readString(added(server.inbox("small@example.org"), List.of()), StandardCharsets.UTF_8);
        assertThat(delivered).doesNotContain("Authentication-Results", "Received-SPF");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** EHLO, MAIL, RCPT, DATA and the data; the last line of every reply after EHLO. */
    private static List<String> send(RawClient c, String from, String to, String data) throws Exception {
        c.send("EHLO client.example\r\n");
        c.reply();
        List<String> replies = new ArrayList<>();
        c.send("MAIL FROM:<" + from + ">\r\n");
        replies.add(c.last());
        c.send("RCPT TO:<" + to + ">\r\n");
        replies.add(c.last());
        c.send("DATA\r\n");
        replies.add(c.last());
        if (replies.get(2).startsWith("354")) {
            c.send((data + ".\r\n").getBytes(StandardCharsets.UTF_8));
            replies.add(c.last());
        }
        return replies;
    }

    /** The one file in {@code now} that was not in {@code before}. */
    private static Path added(List<Path> now, List<Path> before) {
        List<Path> added = new ArrayList<>(now);
        added.removeAll(before);
        assertThat(added).hasSize(1);
        return added.get(0);
    }

    /** The message signed by python3-dkim (d={@code domain}, s=sel, relaxed/relaxed, rsa-sha256). */
    private static String dkimSign(String domain, String message) throws Exception {
        requireDkimsign();
        Process p = new ProcessBuilder("dkimsign", "--hcanon", "relaxed", "--bcanon", "relaxed", "sel", domain,
                privateKey.toString()).start();
        p.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String signed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(errors).isZero();
        assertThat(signed).startsWith("DKIM-Signature: ").endsWith(message);
        return signed;
    }

    /** Skips without python3-dkim, but under CI=true its absence is a failure: .ci/run installs it. */
    private static void requireDkimsign() {
        boolean available = Files.isExecutable(Path.of("/usr/bin/dkimsign"))
                || System.getenv("PATH") != null && Arrays.stream(System.getenv("PATH").split(":"))
                        .anyMatch(d -> Files.isExecutable(Path.of(d, "dkimsign")));
        assumeTrue(available || "true".equals(System.getenv("CI")), "dkimsign not installed (apt-get install python3-dkim)");
        assertThat(available).as("dkimsign is required under CI=true: apt-get install python3-dkim").isTrue();
    }
}

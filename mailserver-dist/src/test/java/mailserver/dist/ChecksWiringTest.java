package mailserver.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.ConfigLoader;
import mailserver.core.config.MailserverConfig;
import mailserver.core.dns.TestDnsServer;
import mailserver.core.mail.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks as {@code mailserver run} wires them from the YAML file: the {@code dns:} servers
 * answer SPF and DMARC questions, {@code checks:} says what to do, and a stranger on port 25
 * (no relay networks) meets them. A quarantined message is then read over IMAP from Junk.
 */
class ChecksWiringTest {

    @TempDir
    Path folder;

    private TestDnsServer dns;
    private MailServer server;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        dns.addTxt("spffail.test", "v=spf1 -all");
        dns.addTxt("news.test", "v=spf1 ?all");
        dns.addTxt("_dmarc.news.test", "v=DMARC1; p=quarantine");
        Path file = TestConfig.write(folder, TestConfig.freePorts());
        Files.writeString(file, Files.readString(file) + "smtp:\n  relay-networks: []\n"
                + "dns:\n  servers: [\"127.0.0.1:" + dns.address().getPort() + "\"]\n  timeout: 1s\n  retries: 0\n"
                + "checks:\n  authserv-id: auth.example.test\n  spf: tag\n  listeners:\n    smtp: { spf: reject }\n");
        MailserverConfig config = ConfigLoader.load(file);
        try (JdbcDirectory directory = JdbcDirectory.open(config.directory())) {
            directory.addDomain("example.test", "");
            directory.addAccount(MailAddress.parse("bob@example.test"), "bob-pw".toCharArray(), 0, "Bob");
        }
        server = MailServer.start(config);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(1));
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void spfRejectOnPort25AndQuarantineIntoJunkReadOverImap() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.boundPort("smtp"))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            assertThat(command(in, out, "HELO client.test")).startsWith("250 ");
            assertThat(command(in, out, "MAIL FROM:<a@spffail.test>"))
                    .isEqualTo("550 5.7.23 Message rejected due to SPF fail: spffail.test does not allow 127.0.0.1 to send its mail");
            assertThat(command(in, out, "MAIL FROM:<letters@news.test>")).startsWith("250 ");
            assertThat(command(in, out, "RCPT TO:<bob@example.test>")).startsWith("250 ");
            assertThat(command(in, out, "DATA")).startsWith("354 ");
            assertThat(command(in, out, "From: letters@news.test\r\nSubject: news\r\n\r\nread me\r\n.")).startsWith("250 ");
        }

        try (TlsLineClient imap = new TlsLineClient(server.boundPort("imaps"))) {
            assertThat(imap.readLine()).startsWith("* OK");
            imap.send("a1 LOGIN bob@example.test bob-pw");
            assertThat(imap.readUntil("a1 ")).startsWith("a1 OK");
            imap.send("a2 LIST \"\" Junk RETURN (SPECIAL-USE)");
            assertThat(imap.readLine()).contains("\\Junk");
            assertThat(imap.readUntil("a2 ")).startsWith("a2 OK");
            imap.send("a3 SELECT Junk");
            assertThat(imap.readUntil("* 1 EXISTS")).isEqualTo("* 1 EXISTS");
            assertThat(imap.readUntil("a3 ")).startsWith("a3 OK");
            imap.send("a4 FETCH 1 BODY.PEEK[HEADER.FIELDS (Authentication-Results)]");
            Matcher literal = Pattern.compile("\\{(\\d+)\\}$").matcher(imap.readUntil("* 1 FETCH"));
            assertThat(literal.find()).isTrue();
            String header = new String(imap.readBytes(Integer.parseInt(literal.group(1))), StandardCharsets.UTF_8);
            assertThat(header).startsWith("Authentication-Results: auth.example.test;\r\n\tspf=neutral smtp.mailfrom=letters@news.test;\r\n"
                    + "\tdkim=none;\r\n\tdmarc=fail (p=quarantine dis=quarantine;");
            assertThat(imap.readUntil("a4 ")).startsWith("a4 OK");
        }
    }

    private static String command(BufferedReader in, OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String reply;
        do {
            reply = in.readLine();
        } while (reply != null && reply.charAt(3) == '-');
        return reply;
    }
}

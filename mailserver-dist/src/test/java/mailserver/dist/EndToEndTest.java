package mailserver.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.ConfigLoader;
import mailserver.core.config.MailserverConfig;
import mailserver.core.mail.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server as {@code mailserver run} wires it: a message submitted over SMTP is read
 * back over POP3 and IMAP byte for byte, with only the trace headers added in front.
 */
class EndToEndTest {

    /** Dot-leading line, empty line, 8-bit text: what tends to break stuffing and line handling. */
    private static final String MESSAGE = "From: Alice <alice@example.test>\r\n"
            + "To: Bob <bob@example.test>\r\n"
            + "Subject: end to end\r\n"
            + "Message-ID: <e2e-1@example.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n"
            + "Hello Bob,\r\n"
            + ".this line starts with a dot\r\n"
            + "\r\n"
            + "Grüße, Alice\r\n";

    @TempDir
    Path folder;

    private MailServer server;

    @BeforeEach
    void start() throws Exception {
        MailserverConfig config = ConfigLoader.load(TestConfig.write(folder, TestConfig.freePorts()));
        try (JdbcDirectory directory = JdbcDirectory.open(config.directory())) {
            directory.addDomain("example.test", "");
            directory.addAccount(MailAddress.parse("alice@example.test"), "alice-pw".toCharArray(), 0, "Alice");
            directory.addAccount(MailAddress.parse("bob@example.test"), "bob-pw".toCharArray(), 0, "Bob");
        }
        server = MailServer.start(config);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void submittedMessageIsReadBackByteForByteOverPop3AndImap() throws Exception {
        submit("alice@example.test", "alice-pw", "bob@example.test", MESSAGE);

        byte[] overPop3 = retrieveOverPop3("bob@example.test", "bob-pw");
        String text = new String(overPop3, StandardCharsets.UTF_8);
        assertThat(text).startsWith("Return-Path: <alice@example.test>\r\nDelivered-To: bob@example.test\r\nReceived: from ");
        assertThat(text).contains("by mail.example.test (mailserver) with ESMTPSA");
        assertThat(text).endsWith(MESSAGE);

        assertThat(fetchOverImap("bob@example.test", "bob-pw")).isEqualTo(overPop3);
    }

    private void submit(String user, String password, String recipient, String message) throws Exception {
        try (TlsLineClient smtp = new TlsLineClient(server.boundPort("submissions"))) {
            assertThat(smtp.readLine()).startsWith("220 ");
            smtp.send("EHLO client.example.test");
            smtp.readUntil("250 ");
            String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
            smtp.send("AUTH PLAIN " + plain);
            assertThat(smtp.readLine()).startsWith("235 ");
            smtp.send("MAIL FROM:<" + user + "> BODY=8BITMIME");
            assertThat(smtp.readLine()).startsWith("250 ");
            smtp.send("RCPT TO:<" + recipient + ">");
            assertThat(smtp.readLine()).startsWith("250 ");
            smtp.send("DATA");
            assertThat(smtp.readLine()).startsWith("354 ");
            smtp.write(message.replace("\r\n.", "\r\n..").getBytes(StandardCharsets.UTF_8));
            smtp.send(".");
            assertThat(smtp.readLine()).startsWith("250 ");
            smtp.send("QUIT");
            assertThat(smtp.readLine()).startsWith("221 ");
        }
    }

    private byte[] retrieveOverPop3(String user, String password) throws Exception {
        try (TlsLineClient pop3 = new TlsLineClient(server.boundPort("pop3s"))) {
            assertThat(pop3.readLine()).startsWith("+OK");
            pop3.send("USER " + user);
            assertThat(pop3.readLine()).startsWith("+OK");
            pop3.send("PASS " + password);
            assertThat(pop3.readLine()).startsWith("+OK");
            pop3.send("RETR 1");
            assertThat(pop3.readLine()).startsWith("+OK");
            byte[] message = pop3.readDotTerminated();
            pop3.send("QUIT");
            return message;
        }
    }

    private byte[] fetchOverImap(String user, String password) throws Exception {
        try (TlsLineClient imap = new TlsLineClient(server.boundPort("imaps"))) {
            assertThat(imap.readLine()).startsWith("* OK");
            imap.send("a1 LOGIN " + user + " " + password);
            assertThat(imap.readUntil("a1 ")).startsWith("a1 OK");
            imap.send("a2 SELECT INBOX");
            assertThat(imap.readUntil("a2 ")).startsWith("a2 OK");
            imap.send("a3 FETCH 1 BODY.PEEK[]");
            Matcher literal = Pattern.compile("\\* 1 FETCH \\(.*BODY\\[\\] \\{(\\d+)\\}$").matcher(imap.readUntil("* 1 FETCH"));
            assertThat(literal.find()).isTrue();
            byte[] message = imap.readBytes(Integer.parseInt(literal.group(1)));
            assertThat(imap.readUntil("a3 ")).startsWith("a3 OK");
            imap.send("a4 LOGOUT");
            return message;
        }
    }
}

package mailserver.pop3.server;

import static mailserver.pop3.server.Pop3TestServer.ALICE;
import static mailserver.pop3.server.Pop3TestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import mailserver.store.Doveadm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our POP3 and Dovecot's own pop3 process (run pre-authenticated on the same Maildir, with
 * Dovecot's defaults, {@code pop3_uidl_format = %08Xu%08Xv} among them) answer UIDL, LIST and
 * RETR identically, whoever assigned the UIDs, so clients moved from Dovecot download nothing again.
 */
class DovecotPop3Test {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    static final List<String> MESSAGES = List.of(
            "Subject: one\r\n\r\nbody\r\n.dot\r\n",
            "Subject: two\r\n\r\nno final line break",
            "Subject: three\r\n\r\n\r\n..\r\n.\r\nend\r\n");

    @TempDir
    Path work;
    Pop3TestServer server;
    Path pop3;

    @BeforeEach
    void start() throws Exception {
        pop3 = ExternalTool.require("dovecot-pop3d", "/usr/lib/dovecot/pop3");
        server = Pop3TestServer.start(work);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sameUidlListAndRetrForMessagesWeDelivered() throws Exception {
        for (String message : MESSAGES) {
            server.deliver(ALICE, message);
        }
        String commands = "UIDL\r\nLIST\r\nRETR 1\r\nRETR 2\r\nRETR 3\r\nQUIT\r\n";

        List<String> ours = transcript(ours(commands));
        List<String> dovecots = transcript(dovecot(commands));

        assertThat(ours).isEqualTo(dovecots);
        assertThat(ours.get(0)).matches("UIDL 1_0{7}1[0-9a-f]{8} 2_0{7}2[0-9a-f]{8} 3_0{7}3[0-9a-f]{8}");
    }

    @Test
    void sameUidlsForMessagesDovecotNumberedFirst() throws Exception {
        server.inbox(ALICE); // creates the Maildir
        Path maildir = server.maildir(ALICE);
        Files.writeString(maildir.resolve("new/1700000000.M1P1.elsewhere"), "Subject: lf\n\nwritten with bare LF\n");
        Files.writeString(maildir.resolve("cur/1700000001.M2P1.elsewhere:2,S"), "Subject: seen\n\nold\n");
        Files.deleteIfExists(maildir.resolve("dovecot-uidlist"));
        String commands = "UIDL\r\nLIST\r\nRETR 1\r\nRETR 2\r\nQUIT\r\n";

        List<String> dovecots = transcript(dovecot(commands)); // Dovecot assigns UIDs and UIDVALIDITY
        List<String> ours = transcript(ours(commands));

        assertThat(ours).isEqualTo(dovecots);
    }

    /**
     * The replies that must match, one string per reply: the command, then its lines.
     * First lines of +OK replies are compared only for multi-line responses' contents,
     * since Dovecot's texts ("+OK 2 messages:") differ from ours.
     */
    static List<String> transcript(String session) {
        String[] lines = session.split("\r\n", -1);
        List<String> replies = new ArrayList<>();
        StringBuilder current = null;
        String[] commands = {"UIDL", "LIST", "RETR 1", "RETR 2", "RETR 3"};
        int next = 0;
        boolean inBody = false;
        for (int i = 1; i < lines.length; i++) { // line 0 is the greeting
            String line = lines[i];
            if (!inBody) {
                if (next >= commands.length || !line.startsWith("+OK") || line.startsWith("+OK Logging out")) {
                    continue;
                }
                current = new StringBuilder(commands[next++]);
                if (current.toString().startsWith("RETR")) {
                    current.append(" ").append(line); // "+OK <size> octets" must match exactly
                }
                inBody = true;
            } else if (line.equals(".")) {
                replies.add(current.toString());
                inBody = false;
            } else {
                current.append(" ").append(line.replace(" ", "_"));
            }
        }
        return replies;
    }

    private String ours(String commands) throws IOException {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            StringBuilder out = new StringBuilder(c.readLine()).append("\r\n");
            c.command("USER " + ALICE);
            c.command("PASS " + PASSWORD);
            c.send(commands);
            for (String line = c.readLine(); line != null; line = c.readLine()) {
                out.append(line).append("\r\n");
            }
            return out.toString();
        }
    }

    /** Dovecot's pop3 binary, pre-authenticated as in its docs ("running from the shell"), on alice's Maildir. */
    private String dovecot(String commands) throws IOException, InterruptedException {
        Path dovecotWork = work.resolve("dovecot");
        Path home = dovecotWork.resolve("home");
        Files.createDirectories(home);
        Path config = dovecotWork.resolve("dovecot.conf");
        Files.writeString(config, """
                protocols =
                ssl = no
                first_valid_uid = 0
                first_valid_gid = 0
                log_path = %s
                base_dir = %s
                state_dir = %s
                %s""".formatted(dovecotWork.resolve("dovecot.log"), dovecotWork, dovecotWork,
                ROOT ? "mail_uid = 65534\nmail_gid = 65534\n" : ""));
        if (ROOT) {
            Doveadm.openUp(work); // Dovecot refuses to work on mail as root: it runs as nobody
        }
        ExternalTool.Run run = ExternalTool.run(
                List.of(pop3.toString(), "-c", config.toString(), "-o", "mail_location=maildir:" + server.maildir(ALICE)),
                Map.of("USER", "alice", "HOME", home.toString()),
                commands.getBytes(StandardCharsets.US_ASCII));
        assertThat(run.exitCode()).as(run.errors()).isZero();
        return "+OK greeting\r\n" + run.output();
    }
}

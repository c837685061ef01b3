package mailserver.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import mailserver.store.Doveadm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Maildir written by the real Dovecot (doveadm, no daemon) is served with Dovecot's UIDs,
 * UIDVALIDITY and flags. Skips without doveadm (Debian dovecot-core) unless CI=true.
 */
class DovecotMaildirTest {

    @TempDir
    Path dir;

    @Test
    void dovecotUidsAndFlagsAreServedUnchanged() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Path maildir = server.maildirRoot.resolve("example.test/alice");
            Doveadm doveadm = Doveadm.forMaildir(Files.createDirectories(dir.resolve("dovecot")), maildir);
            for (int i = 1; i <= 3; i++) {
                doveadm.run(("Subject: inbox " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII),
                        "save", "-m", "INBOX");
            }
            doveadm.run("mailbox", "create", "Projects");
            doveadm.run("Subject: p\r\n\r\nq\r\n".getBytes(StandardCharsets.US_ASCII), "save", "-m", "Projects");
            doveadm.run("flags", "add", "\\Seen $Work", "mailbox", "INBOX", "uid", "2");
            doveadm.run("flags", "add", "\\Flagged", "mailbox", "Projects", "uid", "1");
            doveadm.run("expunge", "mailbox", "INBOX", "uid", "1");
            // Doveadm writes "uid " with a blank for a message without flags; our lines are trimmed.
            TreeMap<String, List<String>> dovecot = new TreeMap<>(doveadm.messages());
            dovecot.replaceAll((folder, lines) -> lines.stream().map(String::trim).toList());
            String validity = doveadm.run("-f", "flow", "mailbox", "status", "uidvalidity", "INBOX")
                    .replaceAll("(?s).*uidvalidity=(\\d+).*", "$1");

            try (ImapClient c = new ImapClient(server.port("imap")).loginAlice()) {
                TreeMap<String, List<String>> served = new TreeMap<>();
                for (String folder : dovecot.keySet()) {
                    List<String> select = c.command("EXAMINE " + folder);
                    if (folder.equals("INBOX")) {
                        assertThat(select).contains("* OK [UIDVALIDITY " + validity + "] UIDs valid");
                    }
                    for (String line : c.command("UID FETCH 1:* FLAGS")) {
                        if (line.startsWith("* ")) {
                            String uid = line.replaceAll(".*UID (\\d+).*", "$1");
                            String flags = line.replaceAll(".*FLAGS \\(([^)]*)\\).*", "$1");
                            List<String> sorted = new ArrayList<>(List.of(flags.split(" ")));
                            sorted.removeIf(String::isEmpty);
                            sorted.sort(null);
                            served.computeIfAbsent(folder, k -> new ArrayList<>()).add((uid + " " + String.join(" ", sorted)).trim());
                        }
                    }
                }
                assertThat(served).isEqualTo(dovecot);
                assertThat(dovecot.get("INBOX")).containsExactly("2 $Work \\Seen", "3");
            }
        }
    }
}

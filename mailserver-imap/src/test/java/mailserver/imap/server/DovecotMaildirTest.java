package mailserver.imap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Maildir written by the real Dovecot (doveadm, no daemon) is served with Dovecot's UIDs,
 * UIDVALIDITY and flags. Skips without doveadm (Debian dovecot-core) unless CI=true.
 */
class DovecotMaildirTest {

    private static final Path DOVEADM = Path.of("/usr/bin/doveadm");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path dir;

    @Test
    void dovecotUidsAndFlagsAreServedUnchanged() throws Exception {
        boolean available = Files.isExecutable(DOVEADM);
        assumeTrue(available || "true".equals(System.getenv("CI")), "doveadm (Debian dovecot-core) not installed: skipping");
        assertThat(available).as("CI=true requires doveadm").isTrue();
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Path maildir = server.maildirRoot.resolve("example.test/alice");
            Files.createDirectories(maildir.getParent());
            for (int i = 1; i <= 3; i++) {
                doveadm(maildir, ("Subject: inbox " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII),
                        "save", "-m", "INBOX");
            }
            doveadm(maildir, null, "mailbox", "create", "Projects");
            doveadm(maildir, "Subject: p\r\n\r\nq\r\n".getBytes(StandardCharsets.US_ASCII), "save", "-m", "Projects");
            doveadm(maildir, null, "flags", "add", "\\Seen $Work", "mailbox", "INBOX", "uid", "2");
            doveadm(maildir, null, "flags", "add", "\\Flagged", "mailbox", "Projects", "uid", "1");
            doveadm(maildir, null, "expunge", "mailbox", "INBOX", "uid", "1");
            TreeMap<String, List<String>> dovecot = dovecotMessages(maildir);
            String validity = doveadm(maildir, null, "-f", "flow", "mailbox", "status", "uidvalidity", "INBOX")
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

    /** {@code folder -> "uid flags"} as Dovecot sees them, \Recent left out. */
    private TreeMap<String, List<String>> dovecotMessages(Path maildir) throws Exception {
        TreeMap<String, List<String>> byFolder = new TreeMap<>();
        for (String line : doveadm(maildir, null, "-f", "flow", "fetch", "mailbox uid flags", "all").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int uidAt = line.indexOf(" uid=");
            int flagsAt = line.indexOf(" flags=");
            List<String> flags = new ArrayList<>(List.of(line.substring(flagsAt + 7).split(" ")));
            flags.removeIf(f -> f.isEmpty() || f.equals("\\Recent"));
            flags.sort(null);
            byFolder.computeIfAbsent(line.substring("mailbox=".length(), uidAt), k -> new ArrayList<>())
                    .add((line.substring(uidAt + 5, flagsAt) + " " + String.join(" ", flags)).trim());
        }
        return byFolder;
    }

    /** doveadm on the Maildir with a minimal config; as root it runs as nobody, as Dovecot insists. */
    private String doveadm(Path maildir, byte[] stdin, String... args) throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve("dovecot"));
        Path home = Files.createDirectories(work.resolve("home"));
        Files.createDirectories(work.resolve("run"));
        Path config = work.resolve("dovecot.conf");
        Files.writeString(config, "protocols =\nssl = no\nfirst_valid_uid = 0\nfirst_valid_gid = 0\nlog_path = "
                + work.resolve("dovecot.log") + "\nbase_dir = " + work.resolve("run") + "\nstate_dir = " + work.resolve("run")
                + "\n" + (ROOT ? "mail_uid = 65534\nmail_gid = 65534\n" : ""));
        if (ROOT) {
            openUp(dir);
        }
        List<String> command = new ArrayList<>(List.of(DOVEADM.toString(), "-c", config.toString(), "-o",
                "mail_location=maildir:" + maildir));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("USER", "alice");
        builder.environment().put("HOME", home.toString());
        Process p = builder.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("doveadm %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    private static void openUp(Path top) throws IOException {
        try (var paths = Files.walk(top)) {
            for (Path p : paths.toList()) {
                p.toFile().setReadable(true, false);
                p.toFile().setWritable(true, false);
                if (Files.isDirectory(p)) {
                    p.toFile().setExecutable(true, false);
                }
            }
        }
    }
}

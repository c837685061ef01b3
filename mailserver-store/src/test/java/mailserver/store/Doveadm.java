package mailserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real Dovecot's {@code doveadm} on a Maildir without a running daemon: a tiny config,
 * no {@code -u} (so no auth lookup), the user from {@code USER}/{@code HOME}. Dovecot refuses
 * to access mail as root, so when the tests run as root it works as {@code nobody} and the
 * Maildir is opened up to it first.
 */
public final class Doveadm {

    private static final Path DOVEADM = Path.of("/usr/bin/doveadm");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path config;
    private final Path maildir;
    private final Path home;

    private Doveadm(Path work, Path maildir) throws IOException {
        this.maildir = maildir;
        this.home = work.resolve("home");
        this.config = work.resolve("dovecot.conf");
        Files.createDirectories(home);
        Files.createDirectories(maildir.getParent());
        Files.createDirectories(work.resolve("run"));
        String ids = ROOT ? "mail_uid = 65534\nmail_gid = 65534\n" : "";
        Files.writeString(config, """
                protocols =
                ssl = no
                first_valid_uid = 0
                first_valid_gid = 0
                log_path = %s
                base_dir = %s
                state_dir = %s
                %s""".formatted(work.resolve("dovecot.log"), work.resolve("run"), work.resolve("run"), ids));
    }

    /** Skips the test when doveadm is missing, except under CI=true, where that is a failure. */
    public static Doveadm forMaildir(Path work, Path maildir) throws IOException {
        boolean available = Files.isExecutable(DOVEADM);
        assumeTrue(available || "true".equals(System.getenv("CI")),
                "doveadm not installed (Debian package dovecot-core): skipping Dovecot interop");
        assertThat(available).as("CI=true requires doveadm (Debian package dovecot-core)").isTrue();
        return new Doveadm(work, maildir);
    }

    public String run(String... args) throws IOException, InterruptedException {
        return run(null, args);
    }

    /** Runs {@code doveadm <args>}, feeding {@code stdin} if given, and returns its output. */
    public String run(byte[] stdin, String... args) throws IOException, InterruptedException {
        if (ROOT) {
            openUp(maildir.getParent());
            openUp(home);
        }
        List<String> command = new ArrayList<>(List.of(DOVEADM.toString(), "-c", config.toString(),
                "-o", "mail_location=maildir:" + maildir));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("USER", "alice");
        builder.environment().put("HOME", home.toString());
        Process p = builder.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("doveadm %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    /** {@code mailbox -> "uid flags"} lines from {@code fetch 'mailbox uid flags' all}, \Recent removed. */
    public TreeMap<String, List<String>> messages() throws IOException, InterruptedException {
        TreeMap<String, List<String>> byFolder = new TreeMap<>();
        for (String line : run("-f", "flow", "fetch", "mailbox uid flags", "all").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int uidAt = line.indexOf(" uid=");
            int flagsAt = line.indexOf(" flags=");
            String folder = line.substring("mailbox=".length(), uidAt);
            String uid = line.substring(uidAt + 5, flagsAt);
            List<String> flags = new ArrayList<>(List.of(line.substring(flagsAt + 7).split(" ")));
            flags.removeIf(f -> f.isEmpty() || f.equals("\\Recent"));
            flags.sort(null);
            byFolder.computeIfAbsent(folder, k -> new ArrayList<>()).add(uid + " " + String.join(" ", flags));
        }
        return byFolder;
    }

    /** {@code mailbox -> "uidvalidity uidnext"} for every folder. */
    TreeMap<String, String> status() throws IOException, InterruptedException {
        TreeMap<String, String> byFolder = new TreeMap<>();
        for (String line : run("-f", "flow", "mailbox", "status", "uidvalidity uidnext", "*").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int nextAt = line.indexOf(" uidnext=");
            int validityAt = line.indexOf(" uidvalidity=");
            byFolder.put(line.substring(0, nextAt), line.substring(validityAt + 13) + " " + line.substring(nextAt + 9, validityAt));
        }
        return byFolder;
    }

    /** Lets Dovecot's {@code nobody} (it refuses to touch mail as root) read and write below {@code top}. */
    public static void openUp(Path top) throws IOException {
        try (var paths = Files.walk(top)) {
            for (Path p : paths.toList()) {
                p.toFile().setReadable(true, false);
                p.toFile().setWritable(true, false);
                if (Files.isDirectory(p)) {
                    p.toFile().setExecutable(true, false);
                }
            }
        }
        for (Path p = top.getParent(); p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            p.toFile().setExecutable(true, false);
        }
    }
}

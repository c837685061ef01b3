package mailserver.imap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import mailserver.store.Flags;
import mailserver.store.FolderSnapshot;
import mailserver.store.Mailbox;
import mailserver.store.MessageRef;
import mailserver.store.SystemFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mbsync (Debian isync) syncs the account both ways with a local Maildir: several folders, flags
 * in both directions, a message from each side; a second run then changes nothing on either side.
 * Skips without mbsync unless CI=true.
 */
class MbsyncTest {

    @TempDir
    Path dir;

    @Test
    void twoWaySyncTwiceSecondChangesNothing() throws Exception {
        boolean available = Files.isExecutable(Path.of("/usr/bin/mbsync"));
        assumeTrue(available || "true".equals(System.getenv("CI")), "mbsync (Debian isync) not installed: skipping");
        assertThat(available).as("CI=true requires mbsync (Debian package isync)").isTrue();
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Mailbox alice = server.alice();
            alice.createFolder("Projects");
            alice.createFolder("Projects.Alpha");
            alice.folder("INBOX").append(message("inbox seen"), Flags.of(SystemFlag.SEEN), null);
            alice.folder("INBOX").append(message("inbox flagged"), Flags.of(SystemFlag.FLAGGED), null);
            alice.folder("Projects.Alpha").append(message("alpha"), Flags.of(SystemFlag.ANSWERED, SystemFlag.SEEN), null);
            Path local = dir.resolve("local");
            Files.createDirectories(local);
            Path config = writeConfig(server.port("imap"), local);

            mbsync(config);
            assertThat(localMessages(local)).containsOnlyKeys("INBOX", "Projects", "Projects/Alpha", "Sent", "Drafts", "Trash",
                    "Junk", "Archive");
            assertThat(localMessages(local).get("INBOX")).containsExactlyInAnyOrder("F", "S");
            assertThat(localMessages(local).get("Projects/Alpha")).containsExactly("RS");

            // Changes on both sides: a new local message, a flag set locally, a flag set on the server.
            Path flagged;
            try (Stream<Path> files = Stream.concat(Files.list(local.resolve("INBOX/cur")), Files.list(local.resolve("INBOX/new")))) {
                flagged = files.filter(p -> p.getFileName().toString().endsWith(",F")).findFirst().orElseThrow();
            }
            // Seen by the local mail client: into cur/ with S added, as a Maildir reader does.
            Files.move(flagged, local.resolve("INBOX/cur").resolve(flagged.getFileName().toString() + "S"));
            Path draft = local.resolve("Drafts/cur/" + System.currentTimeMillis() / 1000 + ".local1.host:2,D");
            Files.write(draft, "Subject: local draft\r\n\r\nwritten offline\r\n".getBytes(StandardCharsets.US_ASCII));
            List<Long> alphaUids = alice.folder("Projects.Alpha").sync().messages().stream().map(MessageRef::uid).toList();
            alice.folder("Projects.Alpha").store(alphaUids, mailserver.store.FlagUpdate.ADD, Flags.of(SystemFlag.FLAGGED), -1);

            mbsync(config);
            assertThat(serverMessages(alice).get("INBOX")).containsExactlyInAnyOrder("\\Seen", "\\Flagged \\Seen");
            assertThat(serverMessages(alice).get("Drafts")).containsExactly("\\Draft");
            assertThat(localMessages(local).get("Projects/Alpha")).containsExactly("FRS");

            TreeMap<String, List<String>> serverBefore = serverState(alice);
            TreeMap<String, List<String>> localBefore = localFiles(local);
            mbsync(config);
            assertThat(serverState(alice)).isEqualTo(serverBefore);
            assertThat(localFiles(local)).isEqualTo(localBefore);
        }
    }

    private static ByteArrayInputStream message(String subject) {
        return new ByteArrayInputStream(("From: x@example.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject.replace(' ', '.')
                + "@example.test>\r\n\r\nbody of " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private Path writeConfig(int port, Path local) throws IOException {
        Path config = dir.resolve("mbsyncrc");
        Files.writeString(config, """
                IMAPAccount test
                Host 127.0.0.1
                Port %d
                User alice@example.test
                Pass secret
                SSLType None
                AuthMechs LOGIN

                IMAPStore remote
                Account test

                MaildirStore local
                Path %s/
                Inbox %s/INBOX
                SubFolders Verbatim

                Channel sync
                Far :remote:
                Near :local:
                Patterns *
                Create Both
                Expunge Both
                SyncState *
                """.formatted(port, local, local));
        return config;
    }

    private static void mbsync(Path config) throws Exception {
        Process p = new ProcessBuilder("mbsync", "-c", config.toString(), "-a").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("mbsync: %s", out).isZero();
    }

    /** Local folder -> the flag letters of each message file. */
    private static TreeMap<String, List<String>> localMessages(Path local) throws IOException {
        TreeMap<String, List<String>> out = new TreeMap<>();
        for (var entry : localFiles(local).entrySet()) {
            out.put(entry.getKey(), entry.getValue().stream().map(n -> n.contains(":2,") ? n.substring(n.indexOf(":2,") + 3) : "")
                    .toList());
        }
        return out;
    }

    /** Local folder -> sorted file names (cur and new). */
    private static TreeMap<String, List<String>> localFiles(Path local) throws IOException {
        TreeMap<String, List<String>> out = new TreeMap<>();
        try (Stream<Path> dirs = Files.walk(local)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().equals("cur")).toList()) {
                String folder = local.relativize(d.getParent()).toString();
                TreeSet<String> names = new TreeSet<>();
                for (String sub : new String[] {"cur", "new"}) {
                    try (Stream<Path> files = Files.list(d.resolveSibling(sub))) {
                        files.forEach(f -> names.add(f.getFileName().toString()));
                    }
                }
                out.put(folder, new ArrayList<>(names));
            }
        }
        return out;
    }

    /** Server folder -> flags of each message. */
    private static TreeMap<String, List<String>> serverMessages(Mailbox mailbox) throws IOException {
        TreeMap<String, List<String>> out = new TreeMap<>();
        for (var info : mailbox.folders()) {
            List<String> flags = new ArrayList<>();
            for (MessageRef m : mailbox.folder(info.name()).sync().messages()) {
                flags.add(mailserver.imap.response.FlagsFormat.list(m.flags()).replaceAll("[()]", ""));
            }
            out.put(info.name(), flags);
        }
        return out;
    }

    /** Server folder -> "uidvalidity uidnext" and "uid flags modseq" of each message. */
    private static TreeMap<String, List<String>> serverState(Mailbox mailbox) throws IOException {
        TreeMap<String, List<String>> out = new TreeMap<>();
        for (var info : mailbox.folders()) {
            FolderSnapshot s = mailbox.folder(info.name()).sync();
            List<String> lines = new ArrayList<>(List.of(s.uidValidity() + " " + s.uidNext()));
            s.messages().forEach(m -> lines.add(m.uid() + " " + m.flags() + " " + m.modseq()));
            out.put(info.name(), lines);
        }
        return out;
    }
}

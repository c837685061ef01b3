package mailserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same Maildir read by the real Dovecot and by us gives the same folders, UIDs and flags. */
class DovecotInteropTest {

    @TempDir
    Path work;

    @Test
    void readsAMaildirDovecotWrote() throws Exception {
        Path maildir = work.resolve("mail/alice");
        Doveadm dovecot = Doveadm.forMaildir(work, maildir);
        for (int i = 1; i <= 4; i++) {
            dovecot.run(TestMessages.text("d" + i).replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII), "save");
        }
        dovecot.run("mailbox", "create", "Sent", "Entwürfe", "Lists.Java");
        dovecot.run(TestMessages.text("s1").getBytes(StandardCharsets.US_ASCII), "save", "-m", "Sent");
        dovecot.run("flags", "add", "\\Seen $Forwarded project", "mailbox", "INBOX", "uid", "1");
        dovecot.run("flags", "add", "\\Flagged \\Answered \\Draft", "mailbox", "INBOX", "uid", "3");
        dovecot.run("flags", "add", "\\Deleted later", "mailbox", "INBOX", "uid", "4");
        dovecot.run("expunge", "mailbox", "INBOX", "uid", "2");
        dovecot.run("move", "Lists.Java", "mailbox", "INBOX", "uid", "4");
        dovecot.run("mailbox", "subscribe", "Sent", "Entwürfe");

        Mailbox mailbox = new MailStore().open(maildir, Quota.UNLIMITED);
        assertThat(ours(mailbox)).isEqualTo(dovecot.messages());
        assertThat(ourStatus(mailbox)).isEqualTo(dovecot.status());
        assertThat(mailbox.subscriptions()).containsExactlyInAnyOrder("Sent", "Entwürfe");
        assertThat(mailbox.folders()).extracting(FolderInfo::name)
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(dovecot.run("mailbox", "list").strip().split("\n")));
        String body = MailboxTest.read(mailbox.folder("INBOX").open(3));
        assertThat(body).isEqualTo(TestMessages.text("d3"));
    }

    @Test
    void dovecotReadsAMaildirWeWrote() throws Exception {
        Path maildir = work.resolve("mail/alice");
        Mailbox mailbox = new MailStore().open(maildir, Quota.UNLIMITED);
        mailbox.createFolder("Sent");
        mailbox.createFolder("Entwürfe");
        mailbox.createFolder("Lists.Java");
        Folder inbox = mailbox.folder("INBOX");
        inbox.deliver(TestMessages.stream("o1"));
        inbox.append(TestMessages.stream("o2"), Flags.of(SystemFlag.SEEN).withKeywords("$Forwarded", "project"),
                Instant.parse("2020-01-02T03:04:05Z"));
        inbox.deliver(TestMessages.stream("o3"));
        inbox.store(List.of(3L), FlagUpdate.ADD, Flags.of(SystemFlag.FLAGGED, SystemFlag.ANSWERED, SystemFlag.DELETED), -1);
        inbox.expunge(List.of(1L));
        inbox.move(List.of(3L), mailbox.folder("Lists.Java"));
        mailbox.folder("Entwürfe").append(TestMessages.stream("draft"), Flags.of(SystemFlag.DRAFT), null);
        mailbox.subscribe("Sent");
        mailbox.subscribe("Entwürfe");

        Doveadm dovecot = Doveadm.forMaildir(work, maildir);
        assertThat(dovecot.messages()).isEqualTo(ours(mailbox));
        assertThat(dovecot.status()).isEqualTo(ourStatus(mailbox));
        assertThat(new TreeSet<>(Arrays.asList(dovecot.run("mailbox", "list", "-s").strip().split("\n"))))
                .isEqualTo(new TreeSet<>(mailbox.subscriptions()));
        assertThat(dovecot.run("fetch", "date.received", "mailbox", "INBOX", "uid", "2"))
                .contains("2020-01-02");
        assertThat(dovecot.run("fetch", "text", "mailbox", "Lists.Java", "uid", "1").replace("\r\n", "\n"))
                .contains("Subject: message o3");

        // Dovecot adds to our folder; we see its UID, and ours continue after it.
        dovecot.run(TestMessages.text("d5").getBytes(StandardCharsets.US_ASCII), "save");
        assertThat(ours(mailbox)).isEqualTo(dovecot.messages());
        long next = inbox.deliver(TestMessages.stream("o6")).uid();
        assertThat(dovecot.messages().get("INBOX")).last().asString().startsWith(next + " ");
    }

    /** Our view in the shape {@link Doveadm#messages()} gives. */
    private static TreeMap<String, List<String>> ours(Mailbox mailbox) throws Exception {
        TreeMap<String, List<String>> byFolder = new TreeMap<>();
        for (FolderInfo info : mailbox.folders()) {
            if (!info.exists()) {
                continue;
            }
            for (MessageRef m : mailbox.folder(info.name()).sync().messages()) {
                List<String> flags = new ArrayList<>();
                m.flags().system().forEach(f -> flags.add(f.imapName()));
                flags.addAll(m.flags().keywords());
                flags.sort(null);
                byFolder.computeIfAbsent(info.name(), k -> new ArrayList<>()).add(m.uid() + " " + String.join(" ", flags));
            }
        }
        return byFolder;
    }

    private static TreeMap<String, String> ourStatus(Mailbox mailbox) throws Exception {
        TreeMap<String, String> byFolder = new TreeMap<>();
        Set<String> names = new TreeSet<>();
        for (FolderInfo info : mailbox.folders()) {
            if (info.exists()) {
                names.add(info.name());
            }
        }
        for (String name : names) {
            FolderSnapshot s = mailbox.folder(name).sync();
            byFolder.put(name, s.uidValidity() + " " + s.uidNext());
        }
        return byFolder;
    }
}

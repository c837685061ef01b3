package mailserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxTest {

    @TempDir
    Path root;
    MailStore store;
    Mailbox mailbox;

    @BeforeEach
    void open() throws IOException {
        store = new MailStore("testhost");
        mailbox = store.open(MailStore.accountMaildir(root, "example.test/alice/"), Quota.UNLIMITED);
    }

    @Test
    void accountPathsStayInsideTheRoot() throws IOException {
        assertThat(MailStore.accountMaildir(root, "example.test/alice/")).isEqualTo(root.resolve("example.test/alice"));
        assertThat(MailStore.defaultAccountMaildir(root, "Example.TEST", "bob")).isEqualTo(root.resolve("example.test/bob"));
        for (String bad : new String[] {"../x", "/etc", "a/../../b", "", ".", "a\nb", "a\\b"}) {
            assertThatThrownBy(() -> MailStore.accountMaildir(root, bad)).isInstanceOf(StoreException.class);
        }
        assertThatThrownBy(() -> MailStore.defaultAccountMaildir(root, "..", "x")).isInstanceOf(StoreException.class);
    }

    @Test
    void deliveryWritesTheDovecotLayout() throws IOException {
        AppendResult result = mailbox.deliver("INBOX", TestMessages.stream("one"));
        assertThat(result.uid()).isEqualTo(1);
        Path account = mailbox.root();
        List<Path> files;
        try (Stream<Path> s = Files.list(account.resolve("new"))) {
            files = s.toList();
        }
        assertThat(files).hasSize(1);
        String name = files.get(0).getFileName().toString();
        long size = TestMessages.text("one").length();
        assertThat(name).matches("\\d+\\.M\\d+P\\d+Q\\d+\\.testhost,S=" + size + ",W=" + size);
        List<String> uidlist = Files.readAllLines(account.resolve("dovecot-uidlist"));
        assertThat(uidlist.get(0)).matches("3 V" + result.uidValidity() + " N2 G[0-9a-f]{32}");
        assertThat(uidlist.get(1)).isEqualTo("1 :" + name);
        assertThat(Files.list(account.resolve("tmp")).count()).isZero();
    }

    @Test
    void appendKeepsFlagsKeywordsAndInternalDate() throws IOException {
        Folder inbox = mailbox.folder("INBOX");
        Instant date = Instant.parse("2021-03-04T05:06:07Z");
        AppendResult r = inbox.append(TestMessages.stream("a"), Flags.of(SystemFlag.SEEN, SystemFlag.FLAGGED)
                .withKeywords("$Forwarded", "project"), date);
        MessageRef ref = inbox.sync().messages().get(0);
        assertThat(ref.uid()).isEqualTo(r.uid());
        assertThat(ref.flags().system()).containsExactlyInAnyOrder(SystemFlag.SEEN, SystemFlag.FLAGGED);
        assertThat(ref.flags().keywords()).containsExactly("$Forwarded", "project");
        assertThat(ref.internalDate()).isEqualTo(date);
        assertThat(ref.size()).isEqualTo(TestMessages.text("a").length());
        assertThat(Files.readAllLines(mailbox.root().resolve("dovecot-keywords"))).containsExactly("0 $Forwarded", "1 project");
        try (Stream<Path> s = Files.list(mailbox.root().resolve("cur"))) {
            assertThat(s.toList().get(0).getFileName().toString()).endsWith(":2,FSab");
        }
    }

    @Test
    void readsWholeHeaderRangeAndLfFilesAsCrlf() throws IOException {
        Folder inbox = mailbox.folder("INBOX");
        long uid = inbox.append(new ByteArrayInputStream("Subject: x\n\nline1\nline2\n".getBytes(StandardCharsets.US_ASCII)),
                Flags.NONE, null).uid();
        assertThat(read(inbox.open(uid))).isEqualTo("Subject: x\r\n\r\nline1\r\nline2\r\n");
        assertThat(new String(inbox.header(uid), StandardCharsets.US_ASCII)).isEqualTo("Subject: x\r\n\r\n");
        assertThat(read(inbox.openRange(uid, 14, 5))).isEqualTo("line1");

        // A file another MDA wrote with bare LF and no sizes in its name.
        Files.writeString(mailbox.root().resolve("new/1600000000.V1I2.other"), "Subject: y\n\nbody\n");
        MessageRef lf = inbox.sync().messages().get(1);
        assertThat(lf.size()).isEqualTo("Subject: y\r\n\r\nbody\r\n".length());
        assertThat(read(inbox.open(lf.uid()))).isEqualTo("Subject: y\r\n\r\nbody\r\n");
        assertThat(read(inbox.openRange(lf.uid(), 14, 100))).isEqualTo("body\r\n");
        assertThatThrownBy(() -> inbox.open(99)).isInstanceOf(StoreException.class)
                .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.NO_SUCH_MESSAGE);
    }

    @Test
    void storeChangesFlagsWithModseqAndUnchangedSince() throws IOException {
        Folder inbox = mailbox.folder("INBOX");
        long uid1 = inbox.deliver(TestMessages.stream("1")).uid();
        long uid2 = inbox.deliver(TestMessages.stream("2")).uid();
        FolderSnapshot before = inbox.sync();
        StoreResult added = inbox.store(List.of(uid1, uid2), FlagUpdate.ADD, Flags.of(SystemFlag.SEEN).withKeywords("todo"), -1);
        assertThat(added.changed()).hasSize(2);
        assertThat(added.changed().get(0).modseq()).isGreaterThan(before.highestModseq());
        long modseq1 = added.changed().get(0).modseq();

        StoreResult conditional = inbox.store(List.of(uid1, uid2), FlagUpdate.ADD, Flags.of(SystemFlag.FLAGGED), modseq1);
        assertThat(conditional.modified()).containsExactly(uid2);
        assertThat(conditional.changed()).extracting(MessageRef::uid).containsExactly(uid1);

        inbox.store(List.of(uid1), FlagUpdate.REMOVE, Flags.NONE.withKeywords("todo"), -1);
        inbox.store(List.of(uid2), FlagUpdate.REPLACE, Flags.of(SystemFlag.ANSWERED), -1);
        FolderSnapshot after = inbox.sync();
        assertThat(after.messages().get(0).flags()).isEqualTo(Flags.of(SystemFlag.SEEN, SystemFlag.FLAGGED));
        assertThat(after.messages().get(1).flags()).isEqualTo(Flags.of(SystemFlag.ANSWERED));
        assertThat(after.highestModseq()).isGreaterThanOrEqualTo(after.messages().get(1).modseq());
        assertThat(read(inbox.open(uid1))).isEqualTo(TestMessages.text("1"));
    }

    @Test
    void copyMoveAndExpungeKeepUidsUniqueAndAnnounceChanges() throws IOException {
        mailbox.createFolder("Archive");
        Folder inbox = mailbox.folder("INBOX");
        Folder archive = mailbox.folder("Archive");
        List<String> events = new ArrayList<>();
        ChangeListener recorder = new ChangeListener() {
            @Override
            public void messagesAdded(Folder f, List<MessageRef> added) {
                events.add(f.name() + " added " + added.stream().map(MessageRef::uid).toList());
            }

            @Override
            public void messagesExpunged(Folder f, List<Long> uids) {
                events.add(f.name() + " expunged " + uids);
            }
        };
        inbox.addListener(recorder);
        archive.addListener(recorder);
        for (int i = 1; i <= 3; i++) {
            inbox.append(TestMessages.stream("m" + i), Flags.of(SystemFlag.SEEN).withKeywords("k" + i), null);
        }
        CopyResult copied = inbox.copy(List.of(1L, 3L), archive);
        assertThat(copied.sourceUids()).containsExactly(1L, 3L);
        assertThat(copied.targetUids()).containsExactly(1L, 2L);
        CopyResult moved = inbox.move(List.of(2L), archive);
        assertThat(moved.targetUids()).containsExactly(3L);
        assertThat(inbox.expunge(List.of(1L, 42L))).containsExactly(1L);

        assertThat(inbox.sync().messages()).extracting(MessageRef::uid).containsExactly(3L);
        FolderSnapshot a = archive.sync();
        assertThat(a.messages()).extracting(MessageRef::uid).containsExactly(1L, 2L, 3L);
        assertThat(a.messages()).extracting(m -> m.flags().keywords()).containsExactly(Set.of("k1"), Set.of("k3"), Set.of("k2"));
        assertThat(read(archive.open(3))).isEqualTo(TestMessages.text("m2"));
        assertThat(events).containsSubsequence("INBOX added [1]", "INBOX added [2]", "INBOX added [3]",
                "Archive added [1, 2]", "INBOX expunged [2]", "Archive added [3]", "INBOX expunged [1]");

        // A new message after the expunge never reuses a UID.
        assertThat(inbox.deliver(TestMessages.stream("m4")).uid()).isEqualTo(4);
    }

    @Test
    void folderTreeCreateListRenameDeleteAndSubscriptions() throws IOException {
        mailbox.createFolder("Sent");
        mailbox.createFolder("Projects.2024.Q1");
        mailbox.createFolder("Entwürfe");
        assertThat(Files.exists(mailbox.root().resolve(".Entw&APw-rfe/maildirfolder"))).isTrue();
        assertThat(Files.isDirectory(mailbox.root().resolve(".Projects.2024.Q1/cur"))).isTrue();
        assertThatThrownBy(() -> mailbox.createFolder("Sent")).extracting(e -> ((StoreException) e).reason())
                .isEqualTo(StoreException.Reason.ALREADY_EXISTS);
        assertThatThrownBy(() -> mailbox.createFolder("../../etc")).extracting(e -> ((StoreException) e).reason())
                .isEqualTo(StoreException.Reason.INVALID_NAME);

        assertThat(mailbox.folders()).containsExactly(
                new FolderInfo("INBOX", true, false, java.util.Optional.empty()),
                new FolderInfo("Entwürfe", true, false, java.util.Optional.empty()),
                new FolderInfo("Projects", false, true, java.util.Optional.empty()),
                new FolderInfo("Projects.2024", false, true, java.util.Optional.empty()),
                new FolderInfo("Projects.2024.Q1", true, false, java.util.Optional.empty()),
                new FolderInfo("Sent", true, false, java.util.Optional.of(SpecialUse.SENT)));

        mailbox.folder("Projects.2024.Q1").deliver(TestMessages.stream("p"));
        mailbox.createFolder("Projects");
        mailbox.renameFolder("Projects", "Old");
        assertThat(mailbox.folders()).extracting(FolderInfo::name).containsExactly("INBOX", "Entwürfe", "Old", "Old.2024",
                "Old.2024.Q1", "Sent");
        assertThat(mailbox.folder("Old.2024.Q1").sync().messages()).hasSize(1);

        mailbox.subscribe("Sent");
        mailbox.subscribe("Entwürfe");
        mailbox.subscribe("Old.2024.Q1");
        mailbox.unsubscribe("Sent");
        assertThat(mailbox.subscriptions()).containsExactly("Entwürfe", "Old.2024.Q1");
        assertThat(Files.readString(mailbox.root().resolve("subscriptions"))).isEqualTo("V\t2\n\nEntw&APw-rfe\nOld\t2024\tQ1\n");

        Folder q1 = mailbox.folder("Old.2024.Q1");
        mailbox.deleteFolder("Old.2024.Q1");
        assertThatThrownBy(q1::sync).extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.NOT_FOUND);
        assertThatThrownBy(() -> mailbox.folder("Old.2024.Q1")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> mailbox.deleteFolder("INBOX")).isInstanceOf(StoreException.class);
        assertThat(mailbox.folders()).extracting(FolderInfo::name).containsExactly("INBOX", "Entwürfe", "Old", "Sent");
    }

    @Test
    void quotaRefusesWhatWouldNotFitAndCountsExpunges() throws IOException {
        long size = TestMessages.text("q1").length();
        Mailbox limited = store.open(MailStore.accountMaildir(root, "example.test/carol"), new Quota(size * 2 + 1, 0));
        Folder inbox = limited.folder("INBOX");
        inbox.deliver(TestMessages.stream("q1"));
        inbox.deliver(TestMessages.stream("q2"));
        assertThat(limited.quotaUsage()).isEqualTo(new QuotaUsage(size * 2, 2, new Quota(size * 2 + 1, 0)));
        assertThatThrownBy(() -> inbox.deliver(TestMessages.stream("q3"))).isInstanceOf(QuotaExceededException.class);
        assertThat(Files.list(limited.root().resolve("tmp")).count()).isZero();
        assertThat(Files.readAllLines(limited.root().resolve("maildirsize")).get(0)).isEqualTo((size * 2 + 1) + "S");
        inbox.expunge(List.of(1L));
        inbox.deliver(TestMessages.stream("q3"));
        assertThat(limited.quotaUsage().messages()).isEqualTo(2);

        Mailbox counted = store.open(limited.root(), new Quota(0, 2));
        assertThatThrownBy(() -> counted.deliver("INBOX", TestMessages.stream("q4"))).isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void sameAccountGivesTheSameSharedFolder() throws IOException {
        Mailbox again = store.open(mailbox.root(), Quota.UNLIMITED);
        assertThat(again).isSameAs(mailbox);
        assertThat(again.folder("inbox")).isSameAs(mailbox.folder("INBOX"));
    }

    static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

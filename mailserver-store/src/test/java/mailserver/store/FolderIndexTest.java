package mailserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import mailserver.store.index.FolderIndex;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index is a cache: whatever happens to it, reopening gives the same UIDs and flags. */
class FolderIndexTest {

    @TempDir
    Path root;
    Path account;
    FolderSnapshot before;

    @BeforeEach
    void fill() throws IOException {
        account = root.resolve("example.test/alice");
        MailStore store = new MailStore();
        Folder inbox = store.open(account, Quota.UNLIMITED).folder("INBOX");
        for (int i = 1; i <= 30; i++) {
            inbox.deliver(TestMessages.stream("i" + i));
        }
        inbox.store(List.of(2L, 4L, 6L), FlagUpdate.ADD, Flags.of(SystemFlag.SEEN).withKeywords("work"), -1);
        inbox.expunge(List.of(10L, 11L));
        before = inbox.sync();
        store.close();
        assertThat(account.resolve(FolderIndex.NAME)).exists();
    }

    private FolderSnapshot reopen() throws IOException {
        return new MailStore().open(account, Quota.UNLIMITED).folder("INBOX").sync();
    }

    private static List<String> uidsAndFlags(FolderSnapshot s) {
        return s.messages().stream().map(m -> m.uid() + " " + m.flags()).toList();
    }

    @Test
    void intactIndexKeepsModseqs() throws IOException {
        FolderSnapshot after = reopen();
        assertThat(uidsAndFlags(after)).isEqualTo(uidsAndFlags(before));
        assertThat(after.messages()).extracting(MessageRef::modseq)
                .isEqualTo(before.messages().stream().map(MessageRef::modseq).toList());
        assertThat(after.uidValidity()).isEqualTo(before.uidValidity());
    }

    @Test
    void missingIndexIsRebuiltWithTheSameUids() throws IOException {
        Files.delete(account.resolve(FolderIndex.NAME));
        FolderSnapshot after = reopen();
        assertThat(uidsAndFlags(after)).isEqualTo(uidsAndFlags(before));
        assertThat(after.uidNext()).isEqualTo(before.uidNext());
        // Modseqs restart above anything handed out before, never below.
        assertThat(after.messages()).allMatch(m -> m.modseq() > 0);
        assertThat(after.highestModseq()).isGreaterThanOrEqualTo(before.highestModseq());
        assertThat(account.resolve(FolderIndex.NAME)).exists();
    }

    @Test
    void corruptOrTruncatedIndexIsRebuilt() throws IOException {
        Path index = account.resolve(FolderIndex.NAME);
        byte[] bytes = Files.readAllBytes(index);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(index, bytes);
        assertThat(uidsAndFlags(reopen())).isEqualTo(uidsAndFlags(before));

        Files.write(index, java.util.Arrays.copyOf(bytes, 17));
        assertThat(uidsAndFlags(reopen())).isEqualTo(uidsAndFlags(before));

        Files.writeString(index, "not an index at all");
        assertThat(uidsAndFlags(reopen())).isEqualTo(uidsAndFlags(before));
    }

    @Test
    void staleIndexIsReconciledWithTheMaildir() throws IOException {
        Path index = account.resolve(FolderIndex.NAME);
        byte[] old = Files.readAllBytes(index);
        Folder other = new MailStore().open(account, Quota.UNLIMITED).folder("INBOX");
        long added = other.deliver(TestMessages.stream("late")).uid();
        other.expunge(List.of(1L));
        other.store(List.of(3L), FlagUpdate.ADD, Flags.of(SystemFlag.FLAGGED), -1);
        Files.write(index, old);

        FolderSnapshot after = reopen();
        assertThat(after.messages()).extracting(MessageRef::uid).contains(added).doesNotContain(1L, 10L, 11L);
        assertThat(after.messages().stream().filter(m -> m.uid() == 3).findFirst().orElseThrow().flags().system())
                .contains(SystemFlag.FLAGGED);
    }

    @Test
    void settledIndexOpensWithoutListingAndStillCopesWithAVanishedFile() throws IOException {
        // Make the directories look old, then write an index that trusts them.
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        for (String d : new String[] {"cur", "new"}) {
            Files.setLastModifiedTime(account.resolve(d), old);
        }
        MailStore store = new MailStore();
        Folder inbox = store.open(account, Quota.UNLIMITED).folder("INBOX");
        inbox.store(List.of(5L), FlagUpdate.ADD, Flags.of(SystemFlag.DRAFT), -1);
        for (String d : new String[] {"cur", "new"}) {
            Files.setLastModifiedTime(account.resolve(d), old);
        }
        inbox.sync();
        store.close();

        // Flag a message behind the index's back: same directory, same entry count, old stamp restored.
        Path seven;
        try (Stream<Path> s = Files.list(account.resolve("new"))) {
            seven = s.filter(p -> p.getFileName().toString().contains("Q7.")).findFirst().orElseThrow();
        }
        Files.move(seven, seven.resolveSibling(seven.getFileName() + ":2,S"));
        Files.setLastModifiedTime(account.resolve("new"), old);

        Folder warm = new MailStore().open(account, Quota.UNLIMITED).folder("INBOX");
        MessageRef cached = warm.sync().messages().stream().filter(m -> m.uid() == 7).findFirst().orElseThrow();
        assertThat(cached.flags().system()).as("served from the index, no listing").doesNotContain(SystemFlag.SEEN);
        // Reading it finds the old name gone, resynchronises and finds the file under its new name.
        assertThat(MailboxTest.read(warm.open(7))).isEqualTo(TestMessages.text("i7"));
        MessageRef fresh = warm.sync().messages().stream().filter(m -> m.uid() == 7).findFirst().orElseThrow();
        assertThat(fresh.flags().system()).contains(SystemFlag.SEEN);
        assertThat(fresh.modseq()).isGreaterThan(cached.modseq());
        assertThatThrownBy(() -> warm.open(10)).isInstanceOf(StoreException.class);
    }
}

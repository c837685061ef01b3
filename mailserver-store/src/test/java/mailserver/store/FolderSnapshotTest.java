package mailserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One snapshot per folder state, shared by every caller; changes by others are still found while ours go on. */
class FolderSnapshotTest {

    @TempDir
    Path root;
    Path account;
    Folder inbox;

    @BeforeEach
    void fill() throws IOException {
        account = root.resolve("example.test/alice");
        inbox = new MailStore("testhost").open(account, Quota.UNLIMITED).folder("INBOX");
        for (int i = 1; i <= 5; i++) {
            inbox.append(TestMessages.stream("m" + i), Flags.NONE, null);
        }
    }

    @Test
    void unchangedFolderHandsOutTheSameSnapshotAndAChangeReusesUntouchedMessages() throws IOException {
        FolderSnapshot first = inbox.sync();
        assertThat(inbox.sync()).isSameAs(first);

        inbox.store(List.of(2L), FlagUpdate.ADD, Flags.of(SystemFlag.SEEN), -1);
        FolderSnapshot second = inbox.sync();
        assertThat(second).isNotSameAs(first);
        assertThat(second.messages().get(0)).isSameAs(first.messages().get(0));
        assertThat(second.messages().get(1).flags().contains(SystemFlag.SEEN)).isTrue();
        assertThat(second.byUid(2)).isSameAs(second.messages().get(1));
        assertThat(second.indexOf(6)).isNegative();
        assertThat(second.modseqAt(1)).isGreaterThan(first.modseqAt(1));
        assertThat(second.highestModseq()).isEqualTo(second.modseqAt(1));
    }

    @Test
    void renameByAnotherProcessRightAfterOurOwnChangeIsFound() throws IOException {
        inbox.sync();
        // Our change, then another process's in the same directory a moment later: the directory's
        // stamp may not tell them apart, the next listing (within half a second) does.
        inbox.store(List.of(1L), FlagUpdate.ADD, Flags.of(SystemFlag.FLAGGED), -1);
        Path three;
        try (Stream<Path> files = Files.list(account.resolve("cur"))) {
            three = files.filter(p -> p.getFileName().toString().contains("Q3.")).findFirst().orElseThrow();
        }
        Files.move(three, three.resolveSibling(three.getFileName() + "S"));

        long deadline = System.nanoTime() + 10_000_000_000L;
        MessageRef m3 = inbox.sync().byUid(3);
        while (!m3.flags().contains(SystemFlag.SEEN) && System.nanoTime() < deadline) {
            sleepBriefly();
            m3 = inbox.sync().byUid(3);
        }
        assertThat(m3.flags().system()).containsExactly(SystemFlag.SEEN);
        assertThat(inbox.sync().byUid(1).flags().system()).containsExactly(SystemFlag.FLAGGED);
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

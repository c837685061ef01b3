package mailserver.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import mailserver.smtp.queue.QueueEnvelope.LastAttempt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueStoreTest {

    @TempDir
    Path dir;

    @Test
    void rewritesAnEnvelopeInPlaceAndLeavesNoTemporaryFile() throws Exception {
        QueueWriter writer = new QueueWriter(dir);
        writer.enqueue(QueueWriterTest.envelope("ABC1"), new ByteArrayInputStream("x\r\n".getBytes()));
        QueueStore store = new QueueStore(dir);

        QueueEnvelope before = store.read("ABC1").orElseThrow();
        LastAttempt last = new LastAttempt("2025-06-03T10:01:00Z", "4.4.1", "none", "connect refused", false);
        QueueEnvelope after = before.withRecipients(List.of(before.recipients().get(1).deferred(last, "2025-06-03T10:06:00Z")), 1);
        store.locked("ABC1", () -> {
            store.write(after);
            return null;
        });

        assertThat(store.read("ABC1")).contains(after);
        assertThat(after.recipients().get(0).attempts()).isEqualTo(1);
        assertThat(store.ids()).containsExactly("ABC1");
        try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void removesEntriesAndMessagesACrashLeftWithoutEnvelope() throws Exception {
        QueueWriter writer = new QueueWriter(dir);
        writer.enqueue(QueueWriterTest.envelope("A1"), new ByteArrayInputStream("x\r\n".getBytes()));
        Files.writeString(dir.resolve("B2.eml"), "cut short");
        QueueStore store = new QueueStore(dir);

        assertThat(store.removeIncomplete()).containsExactly("B2.eml");
        assertThat(store.ids()).containsExactly("A1");
        assertThat(store.locked("A1", () -> store.remove("A1"))).isTrue();
        assertThat(store.read("A1")).isEmpty();
        assertThat(dir.resolve("A1.eml")).doesNotExist();
        assertThat(store.locked("A1", () -> store.remove("A1"))).isFalse();
    }

    @Test
    void flushRequestsAreTakenOnce() throws Exception {
        QueueStore store = new QueueStore(dir);
        store.requestFlush(Optional.of("ABC"));
        store.requestFlush(Optional.empty());

        assertThat(store.takeFlushRequests()).containsExactlyInAnyOrder("ABC", null);
        assertThat(store.takeFlushRequests()).isEmpty();
    }
}

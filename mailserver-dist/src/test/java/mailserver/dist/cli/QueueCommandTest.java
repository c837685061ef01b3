package mailserver.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import mailserver.smtp.queue.QueueEnvelope;
import mailserver.smtp.queue.QueueEnvelope.LastAttempt;
import mailserver.smtp.queue.QueueEnvelope.QueueRecipient;
import mailserver.smtp.queue.QueueStore;
import mailserver.smtp.queue.QueueWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailserver queue ...} against a queue folder with entries, as an admin runs it. */
class QueueCommandTest {

    @TempDir
    Path folder;

    private Path config;
    private Path queue;

    @BeforeEach
    void queueWithTwoEntries() throws Exception {
        config = Files.writeString(folder.resolve("mailserver.yml"), "server:\n  hostname: mail.example.test\n  data-dir: ./data\n");
        queue = folder.resolve("data/queue");
        QueueWriter writer = new QueueWriter(queue);
        LastAttempt greylisted = new LastAttempt("2025-06-03T10:01:00Z", "4.7.1", "mx.remote.test[127.0.0.2]:25",
                "451 4.7.1 Greylisted, try again", true);
        writer.enqueue(new QueueEnvelope(QueueEnvelope.VERSION, "AAA111", "alice@example.test", null, null, false, null,
                "2025-06-03T10:00:00Z", 1, "192.0.2.1", "alice@example.test",
                List.of(new QueueRecipient("bob@remote.test", List.of(), null, null, 1, "2025-06-03T10:06:00Z", greylisted, false),
                        new QueueRecipient("carol@other.test", List.of(), null, null))),
                new ByteArrayInputStream("Subject: first\r\nFrom: alice@example.test\r\n\r\nsecret body\r\n"
                        .getBytes(StandardCharsets.UTF_8)));
        writer.enqueue(new QueueEnvelope(QueueEnvelope.VERSION, "BBB222", "", null, null, false, null,
                "2025-06-03T11:00:00Z", 0, "127.0.0.1", null, List.of(new QueueRecipient("dave@remote.test", List.of(), null, null))),
                new ByteArrayInputStream("Subject: bounce\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8)));
    }

    private CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return CliRun.of(all);
    }

    @Test
    void listShowsEachEntryWithItsRecipientsAndLastError() {
        CliRun list = run("queue", "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("AAA111", "alice@example.test", "(451 4.7.1 Greylisted, try again)",
                "bob@remote.test", "carol@other.test", "BBB222", "MAILER-DAEMON", "dave@remote.test", "in 2 Requests.");
        assertThat(list.out().indexOf("(451 4.7.1")).isLessThan(list.out().indexOf("bob@remote.test"));
    }

    @Test
    void showPrintsTheEnvelopeAndTheHeaderOnly() {
        CliRun show = run("queue", "show", "AAA111");

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("\"queueId\" : \"AAA111\"", "\"nextAttempt\" : \"2025-06-03T10:06:00Z\"",
                "Subject: first").doesNotContain("secret body");
    }

    @Test
    void deleteRemovesTheEntryAndRetryAndFlushLeaveRequestsForTheServer() throws Exception {
        assertThat(run("queue", "retry", "AAA111").out()).contains("retry requested for AAA111");
        assertThat(run("queue", "flush").out()).contains("flush requested for 2 queue entries");
        assertThat(new QueueStore(queue).takeFlushRequests()).containsExactlyInAnyOrder("AAA111", null);

        CliRun delete = run("queue", "delete", "BBB222");
        assertThat(delete.exitCode()).as(delete.err()).isZero();
        assertThat(queue.resolve("BBB222.json")).doesNotExist();
        assertThat(queue.resolve("BBB222.eml")).doesNotExist();
        assertThat(run("queue", "list").out()).doesNotContain("BBB222").contains("in 1 Request.");
    }

    @Test
    void unknownOrMalformedIdsFailWithOneLine() {
        for (String[] args : List.of(new String[] {"queue", "show", "NOPE1"}, new String[] {"queue", "delete", "NOPE1"},
                new String[] {"queue", "retry", "NOPE1"}, new String[] {"queue", "show", "../etc"})) {
            CliRun failed = run(args);
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.err()).startsWith("mailserver: ").containsOnlyOnce("\n");
        }
    }

    @Test
    void anEmptyQueueSaysSo() throws Exception {
        run("queue", "delete", "AAA111");
        run("queue", "delete", "BBB222");

        assertThat(run("queue", "list").out()).contains("Mail queue is empty");
    }
}

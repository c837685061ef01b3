package mailserver.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import mailserver.smtp.queue.QueueEnvelope.QueueRecipient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during delivery: a child JVM ({@link QueueCrashMain}) works through a queue of 100
 * entries and is killed with {@code destroyForcibly} once some were delivered; a second child
 * finishes the queue. Every recipient must have been delivered (or its sender notified) at
 * least once: twice is allowed, never zero times.
 */
class QueueCrashTest {

    private static final int ENTRIES = 100;

    @TempDir
    Path dir;

    @Test
    void aKilledSchedulerLosesNoRecipient() throws Exception {
        QueueWriter writer = new QueueWriter(dir.resolve("queue"));
        List<String> expected = new ArrayList<>();
        List<String> expectedBounces = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            String id = "C" + i;
            List<QueueRecipient> rs = new ArrayList<>(List.of(new QueueRecipient("a" + i + "@one.example", List.of(), null, null),
                    new QueueRecipient("b" + i + "@two.example", List.of(), null, null),
                    new QueueRecipient("c" + i + "@one.example", List.of(), null, null)));
            expected.add(id + "_a" + i + "@one.example");
            expected.add(id + "_b" + i + "@two.example");
            expected.add(id + "_c" + i + "@one.example");
            if (i % 10 == 0) {
                rs.add(new QueueRecipient("bounce" + i + "@two.example", List.of(), null, null));
                expectedBounces.add("bounce" + i + "@two.example");
            }
            writer.enqueue(new QueueEnvelope(QueueEnvelope.VERSION, id, "sender@example.org", null, null, false, null,
                    "2025-06-03T10:00:00Z", 0, "192.0.2.1", null, rs),
                    new ByteArrayInputStream(("Subject: crash " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)));
        }

        Process first = startChild("first");
        try {
            awaitFiles(dir.resolve("delivered"), ENTRIES / 2, first);
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        int deliveredBeforeRestart = count(dir.resolve("delivered"));
        assertThat(remaining()).as("entries left for the restart").isPositive();

        Process second = startChild("second");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (remaining() > 0) {
                assertThat(second.isAlive()).as("second child alive; log in %s", dir.resolve("second.log")).isTrue();
                assertThat(System.nanoTime()).as("queue emptied after the restart").isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }

        Map<String, Integer> deliveries = new HashMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("delivered"))) {
            files.forEach(f -> {
                String name = f.getFileName().toString();
                deliveries.merge(name.substring(0, name.lastIndexOf('_')), 1, Integer::sum);
            });
        }
        assertThat(deliveredBeforeRestart).isGreaterThanOrEqualTo(ENTRIES / 2);
        for (String delivery : expected) {
            assertThat(deliveries.getOrDefault(delivery, 0)).as("deliveries of %s", delivery).isPositive();
        }
        List<String> dsns = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("bounces"))) {
            for (Path f : files.toList()) {
                dsns.add(Files.readString(f));
            }
        }
        for (String bounce : expectedBounces) {
            assertThat(dsns).as("DSNs naming %s", bounce).anyMatch(d -> d.contains("Final-Recipient: rfc822; " + bounce + "\r\n"));
        }
        try (Stream<Path> left = Files.list(dir.resolve("queue"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml") || n.endsWith(".json")))
                    .isEmpty();
        }
    }

    private long remaining() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("queue"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }

    private Process startChild(String name) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx128m", "-cp", classpath, QueueCrashMain.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
    }

    private static void awaitFiles(Path folder, int atLeast, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (!Files.isDirectory(folder) || count(folder) < atLeast) {
            assertThat(child.isAlive()).as("child alive").isTrue();
            assertThat(System.nanoTime()).as("deliveries before the kill").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static int count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.count();
        }
    }
}

package mailserver.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while clients send: a child JVM ({@link ServerMain}) runs the server over the real directory and Maildir;
 * four clients send in a loop and note every message that got its 250; the child is killed
 * with {@code destroyForcibly}. Without restarting anything, every acknowledged message must
 * be on disk exactly once: in alice's Maildir and, for those sent to the forwarding alias,
 * also as a complete outbound queue entry. Unacknowledged messages may be there or not, but
 * never twice and never as a torn queue entry.
 */
class CrashTest {

    private static final int CLIENTS = 4;
    /** Kill once this many messages were acknowledged: enough that the kill lands mid-traffic. */
    private static final int ACKS_BEFORE_KILL = 120;
    private static final Pattern SUBJECT = Pattern.compile("\r\nSubject: (crash-\\d+-\\d+)\r\n");

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesSigkillExactlyOnce() throws Exception {
        Process child = startChild();
        try {
            int port = awaitPort(child);
            Set<String> acked = ConcurrentHashMap.newKeySet();
            CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                Thread t = new Thread(() -> sendUntilRefused(port, client, acked, enough), "crash-client-" + i);
                t.start();
                clients.add(t);
            }
            assertThat(enough.await(120, TimeUnit.SECONDS)).as("messages acknowledged before the kill").isTrue();
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            for (Thread t : clients) {
                t.join(30_000);
            }

            Map<String, Integer> inMaildir = subjects(dir.resolve("mail/example.org/alice"), "new", "cur");
            Map<String, Integer> inQueue = queuedSubjects(dir.resolve("data/queue"));
            assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            for (String subject : acked) {
                assertThat(inMaildir.get(subject)).as("copies of acknowledged %s in the Maildir", subject).isEqualTo(1);
                if (forwarded(subject)) {
                    assertThat(inQueue.get(subject)).as("queue entries of acknowledged %s", subject).isEqualTo(1);
                }
            }
            assertThat(inMaildir.values()).allMatch(n -> n == 1);
            assertThat(inQueue.values()).allMatch(n -> n == 1);
        } finally {
            child.destroyForcibly();
        }
    }

    /** Every third message goes to forward@, which keeps a copy for alice and queues one for a remote friend. */
    private static boolean forwarded(String subject) {
        return Integer.parseInt(subject.substring(subject.lastIndexOf('-') + 1)) % 3 == 0;
    }

    private void sendUntilRefused(int port, int client, Set<String> acked, CountDownLatch enough) {
        for (int n = 0; ; n++) {
            String subject = "crash-" + client + "-" + n;
            String recipient = forwarded(subject) ? "forward@example.org" : "alice@example.org";
            try (RawClient c = RawClient.plain(port)) {
                c.reply();
                c.send("EHLO crash.example\r\nMAIL FROM:<c" + client + "@remote.example>\r\nRCPT TO:<" + recipient + ">\r\nDATA\r\n");
                c.reply();
                c.reply();
                c.reply();
                if (!c.last().startsWith("354")) {
                    return;
                }
                c.send("Subject: " + subject + "\r\n\r\n" + ("0123456789abcdef".repeat(4) + "\r\n").repeat(60) + ".\r\n");
                if (c.last().startsWith("250 ")) {
                    acked.add(subject);
                    enough.countDown();
                }
            } catch (IOException | RuntimeException e) {
                return; // the server is gone
            }
        }
    }

    private Process startChild() throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, ServerMain.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }

    private int awaitPort(Process child) throws Exception {
        Path portFile = dir.resolve("port");
        for (int i = 0; i < 600 && !Files.exists(portFile); i++) {
            assertThat(child.isAlive()).as("child server running; its log: %s", dir.resolve("child.log")).isTrue();
            Thread.sleep(100);
        }
        return Integer.parseInt(Files.readString(portFile).strip());
    }

    private static Map<String, Integer> subjects(Path maildir, String... subdirs) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (String sub : subdirs) {
            Path folder = maildir.resolve(sub);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.toList()) {
                    count(Files.readString(f, StandardCharsets.UTF_8), counts);
                }
            }
        }
        return counts;
    }

    /** Complete entries only: a {@code .json} envelope with its {@code .eml}. */
    private static Map<String, Integer> queuedSubjects(Path queue) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        if (!Files.isDirectory(queue)) {
            return counts;
        }
        try (Stream<Path> files = Files.list(queue)) {
            for (Path json : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                String id = json.getFileName().toString().replace(".json", "");
                Path eml = queue.resolve(id + ".eml");
                assertThat(eml).as("message file of queue entry %s", id).exists();
                count(Files.readString(eml, StandardCharsets.UTF_8), counts);
            }
        }
        return counts;
    }

    private static void count(String message, Map<String, Integer> counts) {
        Matcher m = SUBJECT.matcher(message);
        assertThat(m.find()).as("a crash test message: %s", message.lines().limit(5).toList()).isTrue();
        counts.merge(m.group(1), 1, Integer::sum);
    }
}

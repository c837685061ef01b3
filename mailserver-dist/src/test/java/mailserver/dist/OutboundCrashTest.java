package mailserver.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.ConfigLoader;
import mailserver.core.config.MailserverConfig;
import mailserver.core.dns.TestDnsServer;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.queue.QueueEnvelope;
import mailserver.smtp.queue.QueueEnvelope.QueueRecipient;
import mailserver.smtp.queue.QueueWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * SIGKILL during outbound delivery: a child JVM runs {@code mailserver run} with 60 messages
 * in its queue for {@code bob@remote.test}, served by a second server in this JVM on
 * 127.0.0.2; the child is killed ({@code destroyForcibly}) once some have arrived, and the
 * sender is started again over the same data folder, in this JVM. When its queue is empty,
 * every message must be in bob's Maildir at least once (twice is allowed: at least once,
 * never zero times).
 */
class OutboundCrashTest {

    private static final int MESSAGES = 60;
    private static final Pattern SUBJECT = Pattern.compile("\r\nSubject: (outbound-crash-\\d+)\r\n");

    @TempDir
    Path folder;

    @Test
    void noQueuedMessageIsLostWhenTheServerIsKilledMidDelivery() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            port = s.getLocalPort();
        }
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.add("remote.test", Type.MX, "10 mx.remote.test.");
            dns.add("mx.remote.test", Type.A, "127.0.0.2");
            String common = "dns:\n  servers: [\"" + dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort()
                    + "\"]\noutbound:\n  port: " + port + "\nqueue:\n  min-backoff: 1s\n  max-backoff: 1s\n  scan-interval: 1s\n";
            MailserverConfig receiverConfig = ConfigLoader.load(write("receiver", "mx.remote.test",
                    "  smtp: { address: 127.0.0.2, port: " + port + " }\n", common));
            Path senderFile = write("sender", "mail.example.test",
                    "  smtp: { address: 127.0.0.1, port: " + freePort() + " }\n", common);
            try (JdbcDirectory directory = JdbcDirectory.open(receiverConfig.directory())) {
                directory.addDomain("remote.test", "");
                directory.addAccount(MailAddress.parse("bob@remote.test"), "pw".toCharArray(), 0, "Bob");
            }
            Path queue = folder.resolve("sender/data/queue");
            QueueWriter writer = new QueueWriter(queue);
            for (int i = 0; i < MESSAGES; i++) {
                writer.enqueue(new QueueEnvelope(QueueEnvelope.VERSION, "CRASH" + i, "alice@example.test", null, null, false,
                        null, Instant.now().toString(), 0, "127.0.0.1", null,
                        List.of(new QueueRecipient("bob@remote.test", List.of(), null, null))),
                        new ByteArrayInputStream(("From: alice@example.test\r\nSubject: outbound-crash-" + i + "\r\n\r\n"
                                + "line\r\n".repeat(2000)).getBytes(StandardCharsets.US_ASCII)));
            }
            Path bob = receiverConfig.storage().maildirRoot().resolve("remote.test/bob/new");

            MailServer receiver = MailServer.start(receiverConfig);
            try {
                Process first = startSender(senderFile, "first.log");
                try {
                    awaitCount(bob, MESSAGES / 4, first);
                } finally {
                    first.destroyForcibly();
                    first.waitFor(30, TimeUnit.SECONDS);
                }
                assertThat(queued(queue)).as("entries left for the restart").isPositive();
                MailServer restarted = MailServer.start(ConfigLoader.load(senderFile));
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
                    while (queued(queue) > 0) {
                        assertThat(System.nanoTime()).as("queue emptied after the restart").isLessThan(deadline);
                        Thread.sleep(50);
                    }
                } finally {
                    restarted.shutdown(Duration.ofSeconds(1));
                }
            } finally {
                receiver.shutdown(Duration.ofSeconds(1));
            }

            Map<String, Integer> copies = subjects(bob);
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(copies.getOrDefault("outbound-crash-" + i, 0)).as("copies of message %d", i).isPositive();
            }
        }
    }

    private Process startSender(Path config, String log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, Main.class.getName(), "run", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve(log).toFile())
                .start();
    }

    private Path write(String name, String hostname, String listeners, String common) throws IOException {
        Path dir = Files.createDirectories(folder.resolve(name));
        StringBuilder yaml = new StringBuilder("server:\n  hostname: " + hostname + "\n  data-dir: ./data\n  shutdown-grace: 1s\n"
                + "listeners:\n" + listeners);
        for (String l : List.of("submission", "submissions", "imap", "imaps", "pop3", "pop3s")) {
            yaml.append("  ").append(l).append(": { enabled: false }\n");
        }
        return Files.writeString(dir.resolve("mailserver.yml"), yaml + common);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long queued(Path queue) throws IOException {
        try (Stream<Path> files = Files.list(queue)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }

    private static void awaitCount(Path folder, int atLeast, Process child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.isDirectory(folder) || count(folder) < atLeast) {
            assertThat(child.isAlive()).as("sender running").isTrue();
            assertThat(System.nanoTime()).as("deliveries before the kill").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    private static Map<String, Integer> subjects(Path folder) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Matcher m = SUBJECT.matcher(Files.readString(f, StandardCharsets.US_ASCII));
                if (m.find()) {
                    counts.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        return counts;
    }
}

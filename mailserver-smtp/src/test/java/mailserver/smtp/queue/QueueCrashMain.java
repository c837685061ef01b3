package mailserver.smtp.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import mailserver.core.config.QueueConfig;
import mailserver.smtp.outbound.OutboundMessage;
import mailserver.smtp.outbound.OutboundTransport;
import mailserver.smtp.outbound.RecipientOutcome;

/**
 * The child JVM of {@link QueueCrashTest}: a scheduler over {@code dir/queue} whose transport
 * "delivers" by writing one fsync'd file per recipient into {@code dir/delivered}, taking a few
 * milliseconds, and bounces recipients whose local part starts with {@code bounce}; its DSNs are
 * written into {@code dir/bounces}. Runs until killed.
 */
public final class QueueCrashMain {

    private QueueCrashMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path delivered = Files.createDirectories(dir.resolve("delivered"));
        Path bounced = Files.createDirectories(dir.resolve("bounces"));
        ExecutorService network = Executors.newFixedThreadPool(8);
        OutboundTransport transport = new OutboundTransport() {
            @Override
            public CompletableFuture<List<RecipientOutcome>> deliver(OutboundMessage m) {
                return CompletableFuture.supplyAsync(() -> m.recipients().stream().map(r -> {
                    boolean bounce = r.address().startsWith("bounce");
                    if (!bounce) {
                        durableFile(delivered.resolve(m.queueId() + "_" + r.address() + "_" + System.nanoTime()));
                    }
                    return new RecipientOutcome(r.address(), bounce ? RecipientOutcome.Status.BOUNCED : RecipientOutcome.Status.SENT,
                            "mx." + m.domain() + "[127.0.0.2]:25", bounce ? "5.1.1" : "2.0.0",
                            bounce ? "550 5.1.1 User unknown" : "250 2.0.0 Ok", true, false);
                }).toList(), network);
            }

            @Override
            public void close() {
                network.shutdownNow();
            }
        };
        BounceInjector bounces = (recipient, message, eightBit) -> {
            String name = "dsn_" + System.nanoTime();
            Files.copy(message, bounced.resolve(name));
            fsync(bounced.resolve(name));
            return name;
        };
        QueueConfig config = new QueueConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofDays(5),
                Duration.ofDays(5), 5, 20, Duration.ofSeconds(1), Duration.ZERO);
        QueueScheduler scheduler = new QueueScheduler(new QueueStore(dir.resolve("queue")), transport, bounces, config,
                "mail.example.org", Clock.systemUTC());
        scheduler.start();
        Files.writeString(dir.resolve("started"), "yes");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void durableFile(Path file) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 4));
            Files.write(file, new byte[0]);
            fsync(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }
}

package mailserver.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mailserver.store.index.FolderIndex;

/**
 * The storage figures in docs/benchmarks.md; a harness run by hand, never by the tests:
 * <pre>
 * mvn -q -o -Dbuild.folder=target-store -pl mailserver-store -am test-compile
 * java -cp mailserver-store/target-store/test-classes:mailserver-store/target-store/classes:$(cat cp.txt) \
 *      mailserver.store.StoreBenchmark /var/tmp/store-bench [messages]
 * </pre>
 * Measures durable deliveries per second (1 and 4 threads), then opening a folder of
 * {@code messages} (default 100,000) cold (no index of ours) and warm, listing all flags,
 * and, when doveadm is installed, Dovecot's cold open of the same Maildir.
 */
public final class StoreBenchmark {

    private static final int DELIVERIES = 2000;
    private static final int ROUNDS = 5;

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Files.createDirectories(work);
        byte[] message = sample();

        for (int threads : new int[] {1, 4}) {
            Path account = Files.createTempDirectory(work, "deliver");
            Folder inbox = new MailStore().open(account, Quota.UNLIMITED).folder("INBOX");
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < DELIVERIES / threads; i++) {
                        inbox.deliver(new ByteArrayInputStream(message));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("deliveries, %d thread(s), fsync: %.0f/s (%d in %.2f s)%n", threads, DELIVERIES / seconds, DELIVERIES, seconds);
        }

        Path big = work.resolve("big");
        if (!Files.exists(big.resolve("cur"))) {
            System.out.printf("writing %d messages...%n", size);
            fill(big, size, message);
        }
        new MailStore().open(big, Quota.UNLIMITED).folder("INBOX").sync(); // creates dovecot-uidlist once
        settle(big);

        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        List<Double> listing = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Files.deleteIfExists(big.resolve(FolderIndex.NAME));
            MailStore store = new MailStore();
            long t0 = System.nanoTime();
            int count = store.open(big, Quota.UNLIMITED).folder("INBOX").sync().messages().size();
            cold.add((System.nanoTime() - t0) / 1e6);
            store.close();
            check(count, size);

            MailStore again = new MailStore();
            long t1 = System.nanoTime();
            Folder folder = again.open(big, Quota.UNLIMITED).folder("INBOX");
            count = folder.sync().messages().size();
            warm.add((System.nanoTime() - t1) / 1e6);
            check(count, size);

            long t2 = System.nanoTime();
            long seen = folder.sync().messages().stream().filter(m -> m.flags().contains(SystemFlag.SEEN)).count();
            listing.add((System.nanoTime() - t2) / 1e6);
            check(seen, size / 2);
        }
        System.out.printf("open %d cold (no index): median %.0f ms %s%n", size, median(cold), cold);
        System.out.printf("open %d warm (index):    median %.0f ms %s%n", size, median(warm), warm);
        System.out.printf("list flags of %d:        median %.0f ms %s%n", size, median(listing), listing);

        if (Files.isExecutable(Path.of("/usr/bin/doveadm"))) {
            Doveadm dovecot = Doveadm.forMaildir(work.resolve("dovecot"), big);
            List<Double> dovecotCold = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                try (DirectoryStream<Path> indexes = Files.newDirectoryStream(big, "dovecot.index*")) {
                    for (Path p : indexes) {
                        Files.delete(p);
                    }
                }
                long t0 = System.nanoTime();
                String out = dovecot.run("mailbox", "status", "messages", "INBOX");
                dovecotCold.add((System.nanoTime() - t0) / 1e6);
                if (!out.contains("messages=" + size)) {
                    throw new IllegalStateException("doveadm says " + out);
                }
            }
            System.out.printf("Dovecot cold open %d (doveadm mailbox status, no dovecot.index*): median %.0f ms %s%n",
                    size, median(dovecotCold), dovecotCold);
        }
    }

    private static byte[] sample() {
        StringBuilder text = new StringBuilder("From: Alice <alice@example.test>\r\nTo: bob@example.test\r\n"
                + "Subject: benchmark\r\nMessage-ID: <bench@example.test>\r\n\r\n");
        while (text.length() < 2000) {
            text.append("A line of body text to make a realistic small message.\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes files directly in Dovecot's naming, half of them \Seen, as a migrated Maildir would look. */
    private static void fill(Path account, int size, byte[] message) throws IOException {
        for (String d : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(account.resolve(d));
        }
        long time = Instant.now().getEpochSecond() - size;
        for (int i = 0; i < size; i++) {
            String base = (time + i) + ".M" + i + "P1.bench,S=" + message.length + ",W=" + message.length;
            Path file = account.resolve("cur").resolve(base + ":2," + (i % 2 == 0 ? "S" : ""));
            Files.write(file, message);
        }
    }

    /** Directory times younger than two seconds are not trusted by design; age them. */
    private static void settle(Path account) throws IOException {
        FileTime old = FileTime.from(Instant.now().minusSeconds(60));
        for (String d : new String[] {"cur", "new"}) {
            Files.setLastModifiedTime(account.resolve(d), old);
        }
    }

    private static void check(long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + " but got " + actual);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}

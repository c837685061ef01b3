package mailserver.imap.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IMAP load generator for any server (ours or Dovecot): {@code clients} connections, each
 * logged in as its own account (so expunges never race), loop what a mail client does when it
 * syncs a folder and the user reads, files and writes mail:
 * SELECT INBOX, FETCH 1:* (FLAGS UID), FETCH n BODY.PEEK[], STORE n +FLAGS (\Seen),
 * UID SEARCH UNSEEN, APPEND of a 4 KiB message, then UID STORE +FLAGS.SILENT (\Deleted) and
 * EXPUNGE of that message, which keeps the folder's size steady.
 * It runs {@code warmup} seconds unmeasured, then {@code seconds} measured, and prints the
 * commands per second and p50/p99 latency per command. Only loopback; never run by the tests;
 * see docs/benchmarks.md.
 *
 * <pre>
 * java -cp ... mailserver.imap.bench.ImapLoad PORT USER_FORMAT PASSWORD CLIENTS WARMUP SECONDS
 * </pre>
 * USER_FORMAT is a String.format pattern taking the client number from 1, e.g. bench%d@bench.example.
 */
public final class ImapLoad {

    enum Op { SELECT, FETCH_FLAGS, FETCH_BODY, STORE, SEARCH, APPEND, EXPUNGE }

    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS");
    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID \\d+ (\\d+)]");
    /** Samples kept per client and command; far above what 60 s can produce on a 2-core machine. */
    private static final int MAX_SAMPLES = 2_000_000;
    private static final int MAX_CLIENTS = 2_000;
    private static final int MAX_SECONDS = 600;

    private ImapLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: ImapLoad PORT USER_FORMAT PASSWORD CLIENTS WARMUP SECONDS");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String userFormat = args[1];
        String password = args[2];
        int clients = bounded(args[3], 1, MAX_CLIENTS, "CLIENTS");
        int warmup = bounded(args[4], 0, MAX_SECONDS, "WARMUP");
        int seconds = bounded(args[5], 1, MAX_SECONDS, "SECONDS");

        Phase phase = new Phase();
        AtomicLong failures = new AtomicLong();
        List<Client> workers = new ArrayList<>();
        for (int i = 1; i <= clients; i++) {
            Client c = new Client(port, String.format(userFormat, i), password, phase, failures);
            c.thread.start();
            workers.add(c);
        }
        Thread.sleep(warmup * 1000L);
        long start = System.nanoTime();
        phase.measuring = true;
        Thread.sleep(seconds * 1000L);
        phase.measuring = false;
        double elapsed = (System.nanoTime() - start) / 1e9;
        phase.running = false;
        for (Client c : workers) {
            c.thread.join();
        }
        report(workers, clients, elapsed, failures.get());
    }

    private static int bounded(String arg, int min, int max, String name) {
        int value = Integer.parseInt(arg);
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    private static void report(List<Client> workers, int clients, double elapsed, long failures) {
        long total = 0;
        StringBuilder lines = new StringBuilder();
        for (Op op : Op.values()) {
            long[] all = workers.stream().map(c -> c.samples.get(op)).flatMapToLong(s -> Arrays.stream(s.values, 0, s.size))
                    .sorted().toArray();
            total += all.length;
            lines.append(String.format("  %-12s %8d ops %9.1f /s  p50 %7.2f ms  p99 %7.2f ms%n", op, all.length,
                    all.length / elapsed, percentile(all, 0.50), percentile(all, 0.99)));
        }
        System.out.printf("clients=%d seconds=%.1f commands=%d failures=%d rate=%.1f ops/s%n%s",
                clients, elapsed, total, failures, total / elapsed, lines);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    /** Start and stop flags the main thread flips; volatile is enough for flags read in a loop. */
    private static final class Phase {
        volatile boolean running = true;
        volatile boolean measuring;
    }

    /** Latencies in nanoseconds, appended by one client thread, read after it ended. */
    private static final class Samples {
        long[] values = new long[1024];
        int size;

        void add(long nanos) {
            if (size == MAX_SAMPLES) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.min(MAX_SAMPLES, size * 2));
            }
            values[size++] = nanos;
        }
    }

    private static final class Client {
        final Thread thread;
        final Map<Op, Samples> samples = new EnumMap<>(Op.class);
        private final Phase phase;

        Client(int port, String user, String password, Phase phase, AtomicLong failures) {
            this.phase = phase;
            for (Op op : Op.values()) {
                samples.put(op, new Samples());
            }
            this.thread = new Thread(() -> {
                try (ImapClient imap = ImapClient.login("127.0.0.1", port, user, password)) {
                    loop(imap);
                    imap.command("LOGOUT");
                } catch (IOException | RuntimeException e) {
                    failures.incrementAndGet();
                    System.err.println(user + ": " + e);
                }
            }, "imap-load-" + user);
        }

        private void loop(ImapClient imap) throws IOException {
            byte[] message = Message.numbered(0);
            while (phase.running) {
                ImapClient.Reply select = timed(Op.SELECT, imap, "SELECT INBOX");
                int exists = exists(select);
                if (exists == 0) {
                    throw new IOException("INBOX is empty; seed it first with ImapSeed");
                }
                timed(Op.FETCH_FLAGS, imap, "FETCH 1:* (FLAGS UID)");
                int n = 1 + ThreadLocalRandom.current().nextInt(exists);
                timed(Op.FETCH_BODY, imap, "FETCH " + n + " BODY.PEEK[]");
                timed(Op.STORE, imap, "STORE " + n + " +FLAGS (\\Seen)");
                timed(Op.SEARCH, imap, "UID SEARCH UNSEEN");
                long start = System.nanoTime();
                ImapClient.Reply append = imap.append("INBOX", message);
                record(Op.APPEND, start);
                Matcher uid = APPENDUID.matcher(append.tagged());
                String deleted = uid.find() ? "UID STORE " + uid.group(1) : "STORE *";
                timed(Op.STORE, imap, deleted + " +FLAGS.SILENT (\\Deleted)");
                timed(Op.EXPUNGE, imap, "EXPUNGE");
            }
        }

        private ImapClient.Reply timed(Op op, ImapClient imap, String command) throws IOException {
            long start = System.nanoTime();
            ImapClient.Reply reply = imap.command(command);
            record(op, start);
            return reply;
        }

        private void record(Op op, long start) {
            if (phase.measuring) {
                samples.get(op).add(System.nanoTime() - start);
            }
        }

        private static int exists(ImapClient.Reply select) {
            for (String line : select.untagged()) {
                Matcher m = EXISTS.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            return 0;
        }
    }
}

package mailserver.imap.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens CONNECTIONS IMAP connections spread over ACCOUNTS accounts, each logged in, with INBOX
 * selected and in IDLE, prints "READY n" and holds them for HOLD seconds, so a script can read the
 * server's memory meanwhile (mailserver-imap/src/bench/idle-memory.sh). Connections are set up by
 * a small pool; once idle they need no client thread. Only loopback; never run by the tests.
 *
 * <pre>
 * java -cp ... mailserver.imap.bench.ImapIdle PORT USER_FORMAT PASSWORD ACCOUNTS CONNECTIONS HOLD
 * </pre>
 */
public final class ImapIdle {

    private static final int MAX_CONNECTIONS = 20_000;
    private static final int SETUP_THREADS = 16;

    private ImapIdle() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: ImapIdle PORT USER_FORMAT PASSWORD ACCOUNTS CONNECTIONS HOLD");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String userFormat = args[1];
        String password = args[2];
        int accounts = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        int hold = Integer.parseInt(args[5]);
        if (accounts < 1 || connections < 1 || connections > MAX_CONNECTIONS || hold < 0 || hold > 3600) {
            throw new IllegalArgumentException("ACCOUNTS >= 1, CONNECTIONS 1.." + MAX_CONNECTIONS + ", HOLD 0..3600");
        }
        List<ImapClient> open = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        for (int i = 0; i < connections; i++) {
            String user = String.format(userFormat, 1 + i % accounts);
            pool.execute(() -> {
                ImapClient imap = null;
                try {
                    imap = ImapClient.login("127.0.0.1", port, user, password);
                    imap.command("SELECT INBOX");
                    imap.idle();
                    open.add(imap);
                } catch (IOException e) {
                    closeQuietly(imap);
                    if (failures.incrementAndGet() <= 5) {
                        System.err.println(user + ": " + e);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        System.out.printf("READY %d idle, %d failed, set up in %.1f s%n", open.size(),
                failures.get(), (System.nanoTime() - start) / 1e9);
        System.out.flush();
        Thread.sleep(hold * 1000L);
        for (ImapClient imap : open) {
            closeQuietly(imap);
        }
    }

    private static void closeQuietly(ImapClient imap) {
        if (imap == null) {
            return;
        }
        try {
            imap.close();
        } catch (IOException e) {
            // The connection is going away either way; nothing to report.
        }
    }
}

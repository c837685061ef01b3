package mailserver.smtp.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for any SMTP server (ours or Postfix): {@code connections} clients, each on
 * its own connection, send 4 KiB messages back to back (MAIL, RCPT, DATA per message, as
 * smtp-source does) for {@code seconds}, then it prints the messages acknowledged per second.
 * Never run by the tests; see docs/benchmarks.md.
 *
 * <pre>
 * java -cp ... mailserver.smtp.bench.SmtpLoad HOST PORT CONNECTIONS SECONDS RECIPIENT
 * </pre>
 */
public final class SmtpLoad {

    private static final int MESSAGE_BYTES = 4096;

    private SmtpLoad() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        String recipient = args[4];
        byte[] message = message();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> client(host, port, recipient, message, running, acked, failed), "load-" + i);
            t.start();
            clients.add(t);
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        running.set(false);
        long done = acked.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Thread t : clients) {
            t.join();
        }
        System.out.printf("connections=%d seconds=%.1f acked=%d failed=%d rate=%.1f msg/s%n",
                connections, elapsed, done, failed.get(), done / elapsed);
    }

    private static void client(String host, int port, String recipient, byte[] message, AtomicBoolean running,
            AtomicLong acked, AtomicLong failed) {
        try (Socket socket = new Socket(host, port)) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO load.example", "250");
            while (running.get()) {
                command(out, in, "MAIL FROM:<load@bench.example>", "250");
                command(out, in, "RCPT TO:<" + recipient + ">", "250");
                command(out, in, "DATA", "354");
                out.write(message);
                out.flush();
                if (reply(in).startsWith("250")) {
                    acked.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            }
            command(out, in, "QUIT", "221");
        } catch (IOException e) {
            failed.incrementAndGet();
            System.err.println("client failed: " + e);
        }
    }

    /** 4 KiB including the end-of-data line, 76-character lines as mail clients write. */
    private static byte[] message() {
        StringBuilder m = new StringBuilder("From: load@bench.example\r\nTo: bench\r\nSubject: load\r\n\r\n");
        String line = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmn\r\n";
        while (m.length() + line.length() + 3 <= MESSAGE_BYTES) {
            m.append(line);
        }
        m.append("x".repeat(MESSAGE_BYTES - m.length() - 5)).append("\r\n.\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void command(OutputStream out, InputStream in, String command, String expected) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(in, expected);
    }

    private static void expect(InputStream in, String code) throws IOException {
        String reply = reply(in);
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got " + reply);
        }
    }

    /** The last line of a (possibly multi-line) reply. */
    private static String reply(InputStream in) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                line.append((char) b);
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line.toString().strip();
            }
        }
    }
}

package mailserver.imap.bench;

import java.nio.charset.StandardCharsets;

/** The 4 KiB message both benchmarks append: headers and 76-character lines as a mail client writes. */
final class Message {

    static final int BYTES = 4096;

    private Message() {
    }

    static byte[] numbered(int n) {
        StringBuilder m = new StringBuilder("From: load@bench.example\r\nTo: bench@bench.example\r\n"
                + "Subject: load " + n + "\r\nMessage-ID: <" + n + "@bench.example>\r\n\r\n");
        String line = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmn\r\n";
        while (m.length() + line.length() + 2 <= BYTES) {
            m.append(line);
        }
        m.append("x".repeat(BYTES - m.length() - 2)).append("\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}

package mailserver.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writing a message file durably and measuring one we did not write. */
final class MessageFiles {

    private static final int BUFFER = 64 * 1024;

    private MessageFiles() {
    }

    /**
     * Copies {@code message} into a new file with CRLF line ends and fsyncs it.
     *
     * @return the file's size, which is also its IMAP size
     */
    static long writeDurably(InputStream message, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(ch);
            InputStream in = new CrlfInputStream(new BufferedInputStream(message, BUFFER));
            byte[] buffer = new byte[BUFFER];
            long size = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                size += n;
            }
            ch.force(true);
            return size;
        }
    }

    /** The size with CRLF line ends of a file that may use bare LF (Dovecot's W=). */
    static long virtualSize(Path file) throws IOException {
        try (InputStream in = new CrlfInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER))) {
            byte[] buffer = new byte[BUFFER];
            long size = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                size += n;
            }
            return size;
        }
    }

    /** The header of a message in its CRLF form, up to and including the empty line. */
    static byte[] header(InputStream crlfMessage, int limit) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(4096);
        int state = 0; // how much of CR LF CR LF we have seen
        for (int b; out.size() < limit && (b = crlfMessage.read()) >= 0; ) {
            out.write(b);
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4 || (out.size() == 2 && state == 2)) {
                break;
            }
        }
        return out.toByteArray();
    }
}

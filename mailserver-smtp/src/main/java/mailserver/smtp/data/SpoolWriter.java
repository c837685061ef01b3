package mailserver.smtp.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incoming message on its way to a spool file, so a message is never held in memory.
 * Enforces the size limit: past it, the file is dropped at once and the rest only counted, so
 * the protocol can read to the end of the message and answer {@code 552} in step. A write error
 * likewise only marks the message failed; the caller learns either from {@link #status()}.
 *
 * <p>The file is not fsync'd here: the message sink makes its own durable copies.
 */
public final class SpoolWriter {

    private static final Logger log = LoggerFactory.getLogger(SpoolWriter.class);
    private static final int BUFFER_BYTES = 64 * 1024;

    /** Where the message stands. */
    public enum Status {
        OK,
        /** more than the limit arrived; the file is gone */
        TOO_BIG,
        /** the disk refused a write; the file is gone */
        WRITE_FAILED
    }

    private final Path path;
    private final long maxMessageBytes;
    private OutputStream out;
    private long messageBytes;
    private Status status = Status.OK;

    private SpoolWriter(Path path, long maxMessageBytes) throws IOException {
        this.path = path;
        this.maxMessageBytes = maxMessageBytes;
        this.out = new BufferedOutputStream(Files.newOutputStream(path), BUFFER_BYTES);
    }

    /**
     * Creates a new, uniquely named file in {@code folder}.
     *
     * @param maxMessageBytes the most message octets accepted (the prepended trace header not counted)
     */
    public static SpoolWriter create(Path folder, long maxMessageBytes) throws IOException {
        return new SpoolWriter(Files.createTempFile(folder, "msg-", ".eml"), maxMessageBytes);
    }

    /** Writes trace headers (Received) ahead of the message; they do not count toward the limit. */
    public void writePreamble(byte[] header) {
        if (status == Status.OK) {
            try {
                out.write(header);
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    /** Appends message octets, or only counts them once the message is refused. */
    void write(byte[] bytes, int offset, int length) {
        messageBytes += length;
        if (status != Status.OK) {
            return;
        }
        if (messageBytes > maxMessageBytes) {
            status = Status.TOO_BIG;
            closeAndDelete();
            return;
        }
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            fail(e);
        }
    }

    public Status status() {
        return status;
    }

    /** Message octets received so far, counted even past the limit. */
    public long messageBytes() {
        return messageBytes;
    }

    public Path path() {
        return path;
    }

    /**
     * Flushes and closes the file; afterwards {@link #status()} is final.
     *
     * @return true when the whole message is in the file
     */
    public boolean finish() {
        if (status == Status.OK) {
            try {
                out.close();
                out = null;
            } catch (IOException e) {
                fail(e);
            }
        }
        return status == Status.OK;
    }

    /** Removes the file, whatever state it is in; safe to call more than once. */
    public void discard() {
        closeAndDelete();
    }

    private void fail(IOException e) {
        log.warn("cannot write spool file {}: {}", path, e.toString());
        status = Status.WRITE_FAILED;
        closeAndDelete();
    }

    private void closeAndDelete() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            // The file is being thrown away; a failing close changes nothing.
        }
        out = null;
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("cannot delete spool file {}: {}", path, e.toString());
        }
    }
}

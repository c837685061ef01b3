package mailserver.imap.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of one literal, in memory when small, in a spool file otherwise (an APPENDed
 * message). {@link #close()} deletes the file; the command that owns it closes it when done.
 */
public final class Literal implements AutoCloseable {

    private final byte[] bytes;
    private final Path file;
    private final long size;
    private final boolean binary;

    private Literal(byte[] bytes, Path file, long size, boolean binary) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
        this.binary = binary;
    }

    static Literal inMemory(byte[] bytes, boolean binary) {
        return new Literal(bytes, null, bytes.length, binary);
    }

    static Literal inFile(Path file, long size, boolean binary) {
        return new Literal(null, file, size, binary);
    }

    public long size() {
        return size;
    }

    /** Sent as {@code ~{n}} (RFC 3516 literal8): may contain NUL. */
    public boolean binary() {
        return binary;
    }

    /** Whether the bytes are in memory; spooled literals cannot be used where a short string is expected. */
    boolean inMemory() {
        return bytes != null;
    }

    byte[] bytes() {
        return bytes;
    }

    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "Literal[" + size + (bytes == null ? " bytes in " + file : " bytes") + "]";
    }
}

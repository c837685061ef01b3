package mailserver.smtp.checks;

import java.io.ByteArrayOutputStream;

/** Keeps the first {@code limit} bytes written and counts the rest, so a huge field costs no memory. */
final class BoundedBuffer extends ByteArrayOutputStream {

    private final int limit;
    private boolean overflowed;

    BoundedBuffer(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        if (count < limit) {
            super.write(b);
        } else {
            overflowed = true;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    boolean overflowed() {
        return overflowed;
    }
}

package mailserver.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns bare LF and bare CR into CRLF. Messages are stored with CRLF (so their size on disk is
 * their IMAP size and ranges can seek), but Dovecot and other MDAs write bare LF: reading such a
 * file through this stream gives the protocols the CRLF form they must send.
 */
final class CrlfInputStream extends FilterInputStream {

    private static final int NONE = -2;

    private boolean lastWasCr;
    /** We gave a CR for a bare LF; the LF comes next. */
    private boolean lfOwed;
    /** A source byte (or -1 for its end) read ahead while checking what follows a CR. */
    private int pushedBack = NONE;

    CrlfInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        if (lfOwed) {
            lfOwed = false;
            return '\n';
        }
        int b = pushedBack != NONE ? pushedBack : in.read();
        pushedBack = NONE;
        if (lastWasCr) {
            lastWasCr = false;
            if (b != '\n') {
                pushedBack = b;
            }
            return '\n';
        }
        if (b == '\r') {
            lastWasCr = true;
        } else if (b == '\n') {
            lfOwed = true;
            return '\r';
        }
        return b;
    }

    /** Fills the buffer up to end of stream; the source is a file or spool, so reading on never waits long. */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int count = 0;
        while (count < length) {
            int b = read();
            if (b < 0) {
                return count == 0 ? -1 : count;
            }
            buffer[offset + count++] = (byte) b;
        }
        return count;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public int available() throws IOException {
        return lfOwed ? 1 : 0;
    }
}

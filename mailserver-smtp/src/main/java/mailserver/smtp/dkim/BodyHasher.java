package mailserver.smtp.dkim;

import java.security.MessageDigest;

/**
 * Canonicalises a message body as it streams past (RFC 6376 3.4.3 and 3.4.4) and hashes the
 * first {@code limit} octets of the result. Only CRLF ends a line; a lone CR or LF is an
 * ordinary octet (our spool never holds one, and treating them as data keeps random input
 * well defined).
 */
final class BodyHasher {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final Canonicalization canonicalization;
    private final MessageDigest digest;
    private final long limit;
    private final byte[] buffer = new byte[8192];
    private int buffered;
    /** Octets of canonical body produced so far, including those beyond the limit. */
    private long length;
    /** Empty lines seen but not yet emitted: they vanish if nothing but empty lines follows. */
    private long pendingEmptyLines;
    private boolean lineHasContent;
    private boolean pendingSpace;
    private boolean sawCr;

    /** @param limit the {@code l=} value, or {@code Long.MAX_VALUE} for the whole body */
    BodyHasher(Canonicalization canonicalization, MessageDigest digest, long limit) {
        this.canonicalization = canonicalization;
        this.digest = digest;
        this.limit = limit;
    }

    void update(byte[] data, int offset, int count) {
        boolean relaxed = canonicalization == Canonicalization.RELAXED;
        int end = offset + count;
        int i = offset;
        while (i < end) {
            byte b = data[i++];
            if (sawCr) {
                sawCr = false;
                if (b == LF) {
                    endLine();
                    continue;
                }
                content(CR);
            }
            if (b == CR) {
                sawCr = true;
            } else if (relaxed && (b == ' ' || b == '\t')) {
                pendingSpace = true;
            } else {
                content(b);
                // nothing is pending now: the octets up to the next CR or whitespace go out as they are
                int run = i;
                while (run < end && data[run] != CR && !(relaxed && (data[run] == ' ' || data[run] == '\t'))) {
                    run++;
                }
                emit(data, i, run - i);
                i = run;
            }
        }
    }

    /** Ends the body and returns the hash. */
    byte[] finish() {
        if (sawCr) {
            sawCr = false;
            content(CR);
        }
        if (lineHasContent) {
            endLine();
        }
        if (length == 0 && canonicalization == Canonicalization.SIMPLE) {
            emit(CR);
            emit(LF);
        }
        flush();
        return digest.digest();
    }

    /** The canonical body's full length; valid after {@link #finish()}. */
    long length() {
        return length;
    }

    private void content(byte b) {
        for (; pendingEmptyLines > 0; pendingEmptyLines--) {
            emit(CR);
            emit(LF);
        }
        if (pendingSpace) {
            pendingSpace = false;
            emit((byte) ' ');
        }
        emit(b);
        lineHasContent = true;
    }

    private void endLine() {
        pendingSpace = false; // relaxed: whitespace at the end of a line is dropped
        if (lineHasContent) {
            emit(CR);
            emit(LF);
            lineHasContent = false;
        } else {
            pendingEmptyLines++;
        }
    }

    private void emit(byte b) {
        if (length++ < limit) {
            buffer[buffered++] = b;
            if (buffered == buffer.length) {
                flush();
            }
        }
    }

    private void emit(byte[] data, int from, int count) {
        long room = limit - length;
        length += count;
        int n = (int) Math.min(count, Math.max(room, 0));
        if (n > buffer.length - buffered) {
            flush();
            digest.update(data, from, n);
        } else {
            System.arraycopy(data, from, buffer, buffered, n);
            buffered += n;
            if (buffered == buffer.length) {
                flush();
            }
        }
    }

    private void flush() {
        digest.update(buffer, 0, buffered);
        buffered = 0;
    }
}

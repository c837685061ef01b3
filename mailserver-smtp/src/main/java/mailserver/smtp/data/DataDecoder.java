package mailserver.smtp.data;

/**
 * Reads the text after {@code DATA} (RFC 5321 4.1.1.4), fed in pieces of any size, into a
 * {@link SpoolWriter}: removes the dot-stuffing and stops right after {@code <CRLF>.<CRLF>}.
 *
 * <p>Only a real CRLF starts a line, so only {@code <CRLF>.<CRLF>} ends the message. A bare LF
 * or bare CR anywhere in the data is noted ({@link #sawBareNewline()}) and the message is read on
 * to its real end, so the session can refuse it and stay in step with the client: that defeats
 * SMTP smuggling, where a {@code <LF>.<LF>} hides a second message inside the first for a server
 * that reads line ends loosely (Postfix's {@code smtpd_forbid_bare_newline = yes}).
 */
public final class DataDecoder {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] CRLF = {CR, LF};
    private static final byte[] LONE_CR = {CR};

    private enum State {
        /** just after CRLF (or at the very start) */
        LINE_START,
        IN_LINE,
        /** a CR was read and held back until we know whether LF follows */
        AFTER_CR,
        /** a line began with '.'; dropped unless the line is exactly "." */
        AFTER_DOT,
        AFTER_DOT_CR,
        DONE
    }

    private final SpoolWriter out;
    private State state = State.LINE_START;
    private boolean bareNewline;

    public DataDecoder(SpoolWriter out) {
        this.out = out;
    }

    /**
     * Takes bytes up to and including the end-of-data marker.
     *
     * @return how many of the {@code length} bytes were used; the rest belong to what the client
     *         sent after the message (pipelined commands)
     */
    public int feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && state != State.DONE) {
            byte b = bytes[i];
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = State.AFTER_DOT;
                        i++;
                    } else {
                        state = State.IN_LINE;
                    }
                }
                case IN_LINE -> i = copyRun(bytes, i, end);
                case AFTER_CR -> {
                    if (b == LF) {
                        out.write(CRLF, 0, 2);
                        state = State.LINE_START;
                        i++;
                    } else {
                        bareCr();
                        state = State.IN_LINE;
                    }
                }
                case AFTER_DOT -> {
                    if (b == CR) {
                        state = State.AFTER_DOT_CR;
                        i++;
                    } else {
                        state = State.IN_LINE;
                    }
                }
                case AFTER_DOT_CR -> {
                    if (b == LF) {
                        state = State.DONE;
                        i++;
                    } else {
                        bareCr();
                        state = State.IN_LINE;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return i - offset;
    }

    /** Copies line content up to the next CR or LF; returns where it stopped. */
    private int copyRun(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end && bytes[i] != CR && bytes[i] != LF) {
            i++;
        }
        if (i > from) {
            out.write(bytes, from, i - from);
        }
        if (i < end) {
            if (bytes[i] == CR) {
                state = State.AFTER_CR;
            } else {
                bareNewline = true;
                out.write(bytes, i, 1);
            }
            i++;
        }
        return i;
    }

    /** The held-back CR was not followed by LF: keep it as data, and remember the offence. */
    private void bareCr() {
        bareNewline = true;
        out.write(LONE_CR, 0, 1);
    }

    /** True once {@code <CRLF>.<CRLF>} has been read. */
    public boolean finished() {
        return state == State.DONE;
    }

    /** True if the data held an LF without CR before it or a CR without LF after it. */
    public boolean sawBareNewline() {
        return bareNewline;
    }
}

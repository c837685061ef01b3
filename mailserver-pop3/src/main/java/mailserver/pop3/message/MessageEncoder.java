package mailserver.pop3.message;

import java.io.ByteArrayOutputStream;

/**
 * Turns a message in its CRLF form into the body of a POP3 multi-line response (RFC 1939 3):
 * a dot at the start of a line is doubled, a message that does not end with a line break gets
 * one, and {@code .CRLF} ends it all. For TOP it stops after the header, the empty line and the
 * requested number of body lines. It is fed the message in chunks of any size, so messages are
 * streamed, never held whole.
 */
public final class MessageEncoder {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';
    private static final byte[] TERMINATOR = {DOT, CR, LF};

    /** Body lines still to send, or a negative number for all of them. */
    private long bodyLinesLeft;
    private boolean inHeader = true;
    private boolean atLineStart = true;
    private boolean lineHasText;
    private byte last;
    private boolean complete;

    private MessageEncoder(long bodyLines) {
        this.bodyLinesLeft = bodyLines;
    }

    /** For RETR: the whole message. */
    public static MessageEncoder whole() {
        return new MessageEncoder(-1);
    }

    /** For TOP: the header and the first {@code bodyLines} lines of the body. */
    public static MessageEncoder top(long bodyLines) {
        if (bodyLines < 0) {
            throw new IllegalArgumentException("negative line count: " + bodyLines);
        }
        return new MessageEncoder(bodyLines);
    }

    /** False once TOP has what it needs: the rest of the message need not be read. */
    public boolean wantsMore() {
        return !complete;
    }

    /** Encodes {@code length} more bytes of the message; bytes past what TOP needs are dropped. */
    public byte[] encode(byte[] bytes, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + length / 64 + 16);
        for (int i = offset; i < offset + length && !complete; i++) {
            byte b = bytes[i];
            if (atLineStart && b == DOT) {
                out.write(DOT);
            }
            out.write(b);
            last = b;
            atLineStart = b == LF;
            if (b == LF) {
                endOfLine();
            } else if (b != CR) {
                lineHasText = true;
            }
        }
        return out.toByteArray();
    }

    /** The end of the response: the line break the message lacked, if any, and {@code .CRLF}. */
    public byte[] finish() {
        complete = true;
        if (atLineStart) {
            return TERMINATOR.clone();
        }
        return last == CR ? new byte[] {LF, DOT, CR, LF} : new byte[] {CR, LF, DOT, CR, LF};
    }

    private void endOfLine() {
        if (inHeader) {
            inHeader = lineHasText;
        } else if (bodyLinesLeft > 0) {
            bodyLinesLeft--;
        }
        lineHasText = false;
        if (!inHeader && bodyLinesLeft == 0) {
            complete = true;
        }
    }
}

package mailserver.imap.response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes IMAP responses: atoms, numbers, strings (quoted when that is safe, a literal
 * otherwise), lists, and literals streamed from an {@link InputStream} in bounded chunks.
 * Bytes are collected in a buffer of at most {@link #CHUNK} bytes and handed to the
 * {@link ResponseOutput} when it is full and on {@link #flush()}. One writer per connection;
 * used by one thread at a time.
 */
public final class ResponseWriter {

    static final int CHUNK = 64 * 1024;
    /** Longer strings go as literals even when they could be quoted: easier on clients' parsers. */
    private static final int MAX_QUOTED = 1024;

    private final ResponseOutput output;
    private byte[] buffer = new byte[256];
    private int length;
    private boolean utf8;

    public ResponseWriter(ResponseOutput output) {
        this.output = output;
    }

    /** After ENABLE UTF8=ACCEPT, quoted strings may carry UTF-8 (RFC 6855). */
    public void utf8(boolean enabled) {
        this.utf8 = enabled;
    }

    public boolean utf8() {
        return utf8;
    }

    // ---- whole responses ----

    /** {@code <tag> OK|NO|BAD [code] text} and a flush. */
    public void tagged(String tag, String status, String code, String text) throws IOException {
        raw(tag).sp().raw(status).sp();
        if (code != null) {
            raw("[").raw(code).raw("] ");
        }
        raw(text).crlf();
        flush();
    }

    /** {@code * <text>} (the text is raw protocol: atoms, numbers, lists already formatted). */
    public ResponseWriter untagged(String text) throws IOException {
        return raw("* ").raw(text).crlf();
    }

    /** {@code * OK|NO|BAD|BYE [code] text}. */
    public ResponseWriter status(String status, String code, String text) throws IOException {
        raw("* ").raw(status).sp();
        if (code != null) {
            raw("[").raw(code).raw("] ");
        }
        return raw(text).crlf();
    }

    /** {@code + text} and a flush. */
    public void continuation(String text) throws IOException {
        raw("+ ").raw(text).crlf();
        flush();
    }

    // ---- pieces ----

    /** Protocol text that needs no quoting (atoms, numbers, fixed keywords), as US-ASCII. */
    public ResponseWriter raw(String text) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            put(text.charAt(i));
        }
        return this;
    }

    public ResponseWriter sp() throws IOException {
        return put(' ');
    }

    public ResponseWriter crlf() throws IOException {
        put('\r');
        return put('\n');
    }

    public ResponseWriter number(long n) throws IOException {
        return raw(Long.toString(n));
    }

    public ResponseWriter open() throws IOException {
        return put('(');
    }

    public ResponseWriter close() throws IOException {
        return put(')');
    }

    public ResponseWriter nil() throws IOException {
        return raw("NIL");
    }

    /** A string: quoted when short and free of CR, LF, NUL (and of 8-bit unless UTF-8 was enabled), a literal otherwise. */
    public ResponseWriter string(String s) throws IOException {
        if (quotable(s, utf8)) {
            put('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    put('\\');
                }
                if (c < 0x80) {
                    put(c);
                } else {
                    bytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                }
            }
            return put('"');
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        raw("{").number(bytes.length).raw("}").crlf();
        return bytes(bytes);
    }

    /** NIL for null, a string otherwise. */
    public ResponseWriter nstring(String s) throws IOException {
        return s == null ? nil() : string(s);
    }

    /** An atom when it is one (INBOX, Sent), a string otherwise: for mailbox names. */
    public ResponseWriter astring(String s) throws IOException {
        if (!s.isEmpty() && s.chars().allMatch(ResponseWriter::isAtomChar)) {
            return raw(s);
        }
        return string(s);
    }

    /** {@code {size}CRLF} then {@code size} bytes copied from {@code in}; {@code binary} sends {@code ~{size}}. */
    public ResponseWriter literal(InputStream in, long size, boolean binary) throws IOException {
        raw(binary ? "~{" : "{").number(size).raw("}").crlf();
        long left = size;
        while (left > 0) {
            if (length == buffer.length && buffer.length >= CHUNK) {
                flush();
            }
            ensure((int) Math.min(left, CHUNK));
            int n = in.read(buffer, length, (int) Math.min(left, buffer.length - length));
            if (n < 0) {
                throw new IOException("message ended " + left + " bytes before its announced size");
            }
            length += n;
            left -= n;
        }
        return this;
    }

    public ResponseWriter bytes(byte[] bytes) throws IOException {
        int offset = 0;
        while (offset < bytes.length) {
            if (length >= CHUNK) {
                flush();
            }
            int n = Math.min(bytes.length - offset, CHUNK - length);
            ensure(n);
            System.arraycopy(bytes, offset, buffer, length, n);
            length += n;
            offset += n;
        }
        return this;
    }

    /** Hands what is buffered to the output. */
    public void flush() throws IOException {
        if (length > 0) {
            byte[] out = Arrays.copyOf(buffer, length);
            length = 0;
            if (buffer.length > 4096) {
                buffer = new byte[256]; // idle connections should not keep a large buffer
            }
            output.write(out);
        }
    }

    private ResponseWriter put(int b) throws IOException {
        if (length >= CHUNK) {
            flush();
        }
        ensure(1);
        buffer[length++] = (byte) b;
        return this;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(length + more, Math.min(buffer.length * 2, CHUNK)));
        }
    }

    static boolean quotable(String s, boolean utf8) {
        if (s.length() > MAX_QUOTED) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\r' || c == '\n' || (c >= 0x80 && !utf8)) {
                return false;
            }
        }
        return true;
    }

    static boolean isAtomChar(int c) {
        return c > 0x20 && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0;
    }
}

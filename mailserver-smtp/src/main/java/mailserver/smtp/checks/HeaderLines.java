package mailserver.smtp.checks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Walks the header section of a message file field by field without holding a line in memory:
 * a line is copied byte by byte, so a message whose "lines" are megabytes long (BDAT allows it)
 * costs nothing extra. The stream must support mark/reset (a BufferedInputStream).
 */
final class HeaderLines {

    /** Enough of a line's start to read a field name. */
    private static final int NAME_PEEK = 80;

    private HeaderLines() {
    }

    /** True at the end of the header section: end of file, or the empty line before the body. */
    static boolean atEnd(InputStream in) throws IOException {
        in.mark(1);
        int first = in.read();
        in.reset();
        return first == -1 || first == '\r' || first == '\n';
    }

    /** The name of the field starting here, lower-cased, or "" when the line is not {@code name:}. */
    static String fieldName(InputStream in) throws IOException {
        in.mark(NAME_PEEK);
        byte[] start = in.readNBytes(NAME_PEEK);
        in.reset();
        String text = new String(start, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        // RFC 5322 4.5.8 (obsolete syntax) allows blanks before the colon.
        return colon <= 0 ? "" : text.substring(0, colon).stripTrailing().toLowerCase(Locale.ROOT);
    }

    /** Copies one field, its first line and every continuation line, to {@code out}. */
    static void copyField(InputStream in, OutputStream out) throws IOException {
        copyLine(in, out);
        while (continues(in)) {
            copyLine(in, out);
        }
    }

    private static boolean continues(InputStream in) throws IOException {
        in.mark(1);
        int next = in.read();
        in.reset();
        return next == ' ' || next == '\t';
    }

    /** Copies bytes through the next LF (or to the end of the file). */
    private static void copyLine(InputStream in, OutputStream out) throws IOException {
        int b;
        while ((b = in.read()) != -1) {
            out.write(b);
            if (b == '\n') {
                return;
            }
        }
    }
}

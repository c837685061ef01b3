package mailserver.smtp.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header fields of a message, read from the front of a stream that is left at the first
 * octet of the body. Fields are kept as received (folding included, final CRLF dropped) with
 * one char per octet, so canonicalisation reproduces the exact bytes.
 *
 * @param truncated the header block was longer than the limit: the fields are incomplete
 */
record HeaderBlock(List<String> fields, boolean truncated) {

    static HeaderBlock read(InputStream in, int maxBytes) throws IOException {
        List<String> fields = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            boolean complete = readLine(in, line, maxBytes - total + 1);
            total += line.size();
            if (total > maxBytes) {
                addField(fields, field);
                return new HeaderBlock(List.copyOf(fields), true);
            }
            if (!complete || line.size() == 2) {
                // the empty line before the body, or the end of a message without one
                if (!complete) {
                    field.writeBytes(line.toByteArray());
                }
                addField(fields, field);
                return new HeaderBlock(List.copyOf(fields), false);
            }
            byte first = line.toByteArray()[0];
            if (first != ' ' && first != '\t') {
                addField(fields, field);
            }
            field.writeBytes(line.toByteArray());
        }
    }

    /** The field's name as h= lists it: lower case, without surrounding whitespace; null without a colon. */
    static String name(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? null : TagList.trim(field.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    /**
     * Reads through the next CRLF into {@code line}, at most {@code max} octets; false when the
     * stream ended (or the limit came) first.
     */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line, int max) throws IOException {
        line.reset();
        int previous = -1;
        int b;
        while (line.size() < max && (b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n' && previous == '\r') {
                return true;
            }
            previous = b;
        }
        return false;
    }

    private static void addField(List<String> fields, ByteArrayOutputStream field) {
        if (field.size() == 0) {
            return;
        }
        String text = field.toString(StandardCharsets.ISO_8859_1);
        fields.add(text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text);
        field.reset();
    }
}

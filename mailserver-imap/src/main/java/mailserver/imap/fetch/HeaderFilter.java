package mailserver.imap.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** HEADER.FIELDS and HEADER.FIELDS.NOT: the fields of a header (continuation lines included) whose names are or are not listed. */
final class HeaderFilter {

    private HeaderFilter() {
    }

    /** @param header CRLF lines, possibly ending with the empty line; the result always ends with one */
    static byte[] filter(byte[] header, List<String> names, boolean keep) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(header.length, 4096));
        boolean including = false;
        int start = 0;
        while (start < header.length) {
            int end = start;
            while (end < header.length && header[end] != '\n') {
                end++;
            }
            end = Math.min(end + 1, header.length);
            int contentEnd = end;
            while (contentEnd > start && (header[contentEnd - 1] == '\n' || header[contentEnd - 1] == '\r')) {
                contentEnd--;
            }
            if (contentEnd == start) {
                break; // the empty line ends the header
            }
            boolean continuation = header[start] == ' ' || header[start] == '\t';
            if (!continuation) {
                int colon = start;
                while (colon < contentEnd && header[colon] != ':') {
                    colon++;
                }
                String name = new String(header, start, colon - start, StandardCharsets.ISO_8859_1).trim().toUpperCase(Locale.ROOT);
                including = names.contains(name) == keep;
            }
            if (including) {
                out.write(header, start, contentEnd - start);
                out.write('\r');
                out.write('\n');
            }
            start = end;
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}

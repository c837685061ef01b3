package mailserver.imap.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * SEARCH BODY and TEXT (RFC 9051 6.4.4, "contains the specified string in the body"): whether
 * the text parts of a message contain a string, ignoring case, after undoing their
 * Content-Transfer-Encoding (base64, quoted-printable) and reading them in their charset, as
 * Dovecot does. Other parts (images, PDFs, ...) are never read as text, and the encoded form
 * never matches. Streams the message part by part; the caller bounds how much of it is given.
 */
final class BodyTextSearch {

    /** Bytes of a message examined at most; text beyond them is not found. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    /** MIME nesting followed at most; deeper parts are not searched. */
    static final int MAX_DEPTH = 32;

    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setMaxLineLen(-1)
            .setMaxHeaderCount(2000)
            .setMaxHeaderLen(256 * 1024)
            .setMaxContentLen(-1)
            .build();

    private BodyTextSearch() {
    }

    static boolean contains(InputStream message, String text) throws IOException {
        char[] needle = fold(text.toCharArray());
        if (needle.length == 0) {
            return true;
        }
        int[] failure = failureTable(needle);
        MimeTokenStream parts = new MimeTokenStream(CONFIG, DecodeMonitor.SILENT, null);
        parts.parse(message);
        int depth = 0;
        try {
            for (EntityState state = parts.getState(); state != EntityState.T_END_OF_STREAM; state = parts.next()) {
                switch (state) {
                    case T_START_MULTIPART, T_START_MESSAGE -> depth++;
                    case T_END_MULTIPART, T_END_MESSAGE -> depth--;
                    case T_BODY -> {
                        if (isText(parts.getBodyDescriptor()) && partContains(parts, needle, failure)) {
                            return true;
                        }
                    }
                    default -> { }
                }
                if (depth > MAX_DEPTH) {
                    return false;
                }
            }
        } catch (MimeException e) {
            return false; // a header over the limits: what follows it is not searched
        }
        return false;
    }

    private static boolean isText(BodyDescriptor part) {
        return part.getMediaType().equalsIgnoreCase("text");
    }

    private static boolean partContains(MimeTokenStream parts, char[] needle, int[] failure) throws IOException {
        Reader text = new InputStreamReader(parts.getDecodedInputStream(), charset(parts.getBodyDescriptor().getCharset()));
        char[] buffer = new char[8192];
        int matched = 0;
        int n;
        while ((n = text.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                char c = fold(buffer[i]);
                while (matched > 0 && c != needle[matched]) {
                    matched = failure[matched - 1];
                }
                if (c == needle[matched] && ++matched == needle.length) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The part's charset; US-ASCII (also the default when none is named) and unknown names are
     * read as UTF-8, which agrees with ASCII and is what undeclared 8-bit mail mostly is.
     */
    private static Charset charset(String name) {
        Charset charset = name == null ? null : CharsetUtil.lookup(name);
        return charset == null || charset.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : charset;
    }

    /** Case folding one char at a time, so needle and text fold alike and keep their lengths. */
    private static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    private static char[] fold(char[] chars) {
        for (int i = 0; i < chars.length; i++) {
            chars[i] = fold(chars[i]);
        }
        return chars;
    }

    /** Knuth-Morris-Pratt: the longest proper prefix of needle[0..i] that is also its suffix. */
    private static int[] failureTable(char[] needle) {
        int[] table = new int[needle.length];
        int k = 0;
        for (int i = 1; i < needle.length; i++) {
            while (k > 0 && needle[i] != needle[k]) {
                k = table[k - 1];
            }
            if (needle[i] == needle[k]) {
                k++;
            }
            table[i] = k;
        }
        return table;
    }
}

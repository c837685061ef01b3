package mailserver.imap.session;

import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * RFC 5256 2.1 base subject: the subject decoded, whitespace collapsed, and reply/forward
 * markers ({@code Re:}, {@code Fwd:}, {@code [list]} tags, {@code (fwd)} trailers, {@code [Fwd: ...]}
 * wrappers) removed, upper-cased for i;ascii-casemap comparison. What SORT SUBJECT and THREAD compare.
 */
final class BaseSubject {

    private static final Pattern TRAILER = Pattern.compile("(\\s|\\(fwd\\))+$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LEADER = Pattern.compile("^(\\[[^\\[\\]]*\\]\\s*)*(re|fwd?)\\s*(\\[[^\\[\\]]*\\])?:\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BLOB = Pattern.compile("^\\[[^\\[\\]]*\\]\\s*");
    private static final Pattern FWD_WRAPPER = Pattern.compile("^\\[fwd:(.*)\\]$", Pattern.CASE_INSENSITIVE);

    private BaseSubject() {
    }

    static String of(String subject) {
        if (subject == null) {
            return "";
        }
        String s = DecoderUtil.decodeEncodedWords(subject, DecodeMonitor.SILENT).replaceAll("\\s+", " ").trim();
        while (true) {
            String before = s;
            s = TRAILER.matcher(s).replaceAll("");
            String stripped;
            do {
                stripped = s;
                s = LEADER.matcher(s).replaceFirst("");
                String noBlob = BLOB.matcher(s).replaceFirst("");
                if (!noBlob.isEmpty()) {
                    s = noBlob;
                }
            } while (!s.equals(stripped));
            var wrapper = FWD_WRAPPER.matcher(s);
            if (wrapper.matches()) {
                s = wrapper.group(1).trim();
            }
            if (s.equals(before)) {
                return s.toUpperCase(Locale.ROOT);
            }
        }
    }
}

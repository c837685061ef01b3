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

    /** A base subject and whether getting it removed a reply or forward marker, which THREAD=REFERENCES weighs. */
    record Parsed(String text, boolean replyOrForward) {
    }

    static String of(String subject) {
        return parse(subject).text();
    }

    /**
     * A subject is a reply or forward (RFC 5256 section 4, step 5) when extraction removed a
     * {@code Re:}/{@code Fwd:} leader, a {@code (fwd)} trailer or a {@code [Fwd: ...]} wrapper.
     */
    static Parsed parse(String subject) {
        if (subject == null) {
            return new Parsed("", false);
        }
        boolean replyOrForward = false;
        String s = DecoderUtil.decodeEncodedWords(subject, DecodeMonitor.SILENT).replaceAll("\\s+", " ").trim();
        while (true) {
            String before = s;
            var trailer = TRAILER.matcher(s);
            if (trailer.find()) {
                replyOrForward |= trailer.group().indexOf('(') >= 0;
                s = s.substring(0, trailer.start());
            }
            String stripped;
            do {
                stripped = s;
                String noLeader = LEADER.matcher(s).replaceFirst("");
                replyOrForward |= !noLeader.equals(s);
                s = noLeader;
                String noBlob = BLOB.matcher(s).replaceFirst("");
                if (!noBlob.isEmpty()) {
                    s = noBlob;
                }
            } while (!s.equals(stripped));
            var wrapper = FWD_WRAPPER.matcher(s);
            if (wrapper.matches()) {
                replyOrForward = true;
                s = wrapper.group(1).trim();
            }
            if (s.equals(before)) {
                return new Parsed(s.toUpperCase(Locale.ROOT), replyOrForward);
            }
        }
    }
}

package mailserver.smtp.reply;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One SMTP reply (RFC 5321 4.2): a three-digit code, an RFC 3463 enhanced status code and one
 * or more lines of text.
 *
 * <p>The enhanced code is {@code null} only where RFC 2034 leaves it out: the greeting, the
 * EHLO/HELO answer, {@code 354} and the {@code 334} SASL challenges.
 *
 * @param code     200..599
 * @param enhanced {@code class.subject.detail} whose class matches the code's first digit, or {@code null}
 * @param lines    at least one line; printable ASCII, no CR or LF (RFC 5321 4.2 allows nothing else)
 */
public record Reply(int code, String enhanced, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");
    /** RFC 5321 4.5.3.1.5: a reply line is at most 512 octets including code and CRLF. */
    private static final int MAX_TEXT = 512 - 4 - 10 - 2;

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        if (enhanced != null && (!ENHANCED.matcher(enhanced).matches() || enhanced.charAt(0) != Integer.toString(code).charAt(0))) {
            throw new IllegalArgumentException("enhanced code " + enhanced + " does not fit reply " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        for (String line : lines) {
            if (line.length() > MAX_TEXT || !line.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("reply text must be printable ASCII of at most " + MAX_TEXT + " characters");
            }
        }
    }

    /** A one-line reply with an enhanced code. */
    public static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text));
    }

    /** A one-line reply without an enhanced code (greeting, 354, 334). */
    public static Reply plain(int code, String text) {
        return new Reply(code, null, List.of(text));
    }

    /**
     * A one-line reply whose text comes from outside (a client's argument, an exception
     * message): anything not printable ASCII becomes {@code ?} and the text is cut to fit.
     */
    public static Reply sanitized(int code, String enhanced, String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        for (int i = 0; i < text.length() && out.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return of(code, enhanced, out.toString());
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The wire form: {@code 250-first}, ..., {@code 250 last}, each line ending in CRLF. */
    public String encode() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i + 1 < lines.size() ? '-' : ' ');
            if (enhanced != null) {
                out.append(enhanced).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }

    public byte[] toBytes() {
        return encode().getBytes(StandardCharsets.US_ASCII);
    }

    /** The first line as it would appear on the wire, without CRLF: for logs. */
    public String summary() {
        return code + (enhanced == null ? "" : " " + enhanced) + " " + lines.get(0);
    }
}

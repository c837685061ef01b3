package mailserver.smtp.spf;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The outcome of one SPF check (RFC 7208 2.6).
 *
 * @param result      what the check concluded
 * @param identity    {@code "mailfrom"} or {@code "helo"} (the HELO identity is checked for the null sender)
 * @param domain      the domain whose policy was evaluated, e.g. {@code "example.org"}
 * @param sender      the checked identity as a mailbox, e.g. {@code "user@example.org"} or
 *                    {@code "postmaster@helo.example"}
 * @param explanation for FAIL the expanded {@code exp=} text the domain publishes, else {@code null}
 * @param problem     for TEMPERROR and PERMERROR what went wrong, else {@code null}
 */
public record SpfResult(Result result, String identity, String domain, String sender, String explanation,
        String problem) {

    public enum Result {
        NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        /** The lower-case name RFC 7208 uses, e.g. {@code "softfail"}, as in headers and logs. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** RFC 5322 atext, so a value can stand as a dot-atom without quotes. */
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    public SpfResult {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(sender, "sender");
    }

    /**
     * The whole Received-SPF header field (RFC 7208 9.1) without the trailing CRLF, e.g.
     * {@code Received-SPF: pass (mx.example.org: domain of a@b.example designates 192.0.2.1 as
     * permitted sender) client-ip=192.0.2.1; envelope-from="a@b.example"; helo=h.example;
     * receiver=mx.example.org; identity=mailfrom;}
     *
     * @param receiver this server's host name
     * @param client   the SMTP client's address (IPv6 written as RFC 5952 says)
     * @param helo     the name the client gave in HELO/EHLO, as given
     */
    public String receivedSpfHeader(String receiver, InetAddress client, String helo) {
        String ip = NetUtil.toAddressString(client, false);
        StringBuilder out = new StringBuilder("Received-SPF: ").append(result.keyword())
                .append(" (").append(commentText(receiver + ": " + comment(ip))).append(") ");
        out.append("client-ip=").append(value(ip)).append("; ");
        // For the HELO identity the envelope sender was the null sender.
        out.append("envelope-from=").append(quoted(identity.equals("mailfrom") ? sender : "")).append("; ");
        out.append("helo=").append(value(helo)).append("; ");
        if (problem != null) {
            out.append("problem=").append(quoted(problem)).append("; ");
        }
        out.append("receiver=").append(value(receiver)).append("; ");
        return out.append("identity=").append(identity).append(';').toString();
    }

    /** The human-readable comment, worded as RFC 7208 9.1's examples. */
    private String comment(String ip) {
        return switch (result) {
            case PASS -> "domain of " + sender + " designates " + ip + " as permitted sender";
            case FAIL -> "domain of " + sender + " does not designate " + ip + " as permitted sender";
            case SOFTFAIL -> "domain of transitioning " + sender + " does not designate " + ip + " as permitted sender";
            case NEUTRAL -> ip + " is neither permitted nor denied by domain of " + sender;
            case NONE -> "domain of " + sender + " does not designate permitted sender hosts";
            case TEMPERROR -> "error in processing during lookup of " + sender + ": " + problem;
            case PERMERROR -> "permanent error in processing domain of " + sender + ": " + problem;
        };
    }

    /** A key-value pair's value: a dot-atom when it is one (host names, IPv4), else a quoted-string (IPv6, literals). */
    private static String value(String text) {
        String clean = printable(text);
        return DOT_ATOM.matcher(clean).matches() ? clean : quoted(clean);
    }

    private static String quoted(String text) {
        return '"' + printable(text).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Comment text: parentheses and backslashes are quoted-pairs (RFC 5322 3.2.2). */
    private static String commentText(String text) {
        return printable(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)");
    }

    /**
     * HELO names, senders and DNS-supplied problem texts are other people's words: control
     * characters (a CR or LF would end the header) become '?'. UTF-8 stays (RFC 6532).
     */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(c < ' ' || c == 0x7f ? '?' : c));
        return out.toString();
    }
}

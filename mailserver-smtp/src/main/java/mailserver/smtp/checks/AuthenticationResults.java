package mailserver.smtp.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import mailserver.smtp.dkim.DkimResult;
import mailserver.smtp.dmarc.DmarcResult;
import mailserver.smtp.spf.SpfResult;

/**
 * The Authentication-Results header field (RFC 8601) and the reading of its authserv-id, e.g.
 * <pre>
 * Authentication-Results: mx.example.org;
 *         spf=pass smtp.mailfrom=alice@example.com;
 *         dkim=pass header.d=example.com header.s=sel header.b=AbCdEfGh;
 *         dmarc=pass (p=reject dis=none) header.from=example.com
 * </pre>
 * Each method the server ran gives one resinfo (one per DKIM signature, {@code dkim=none} for an
 * unsigned message); reasons go into comments.
 */
final class AuthenticationResults {

    /** An RFC 2045 token (RFC 8601's value), which needs no quotes: no tspecials such as "/" or "=". */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`{|}~-]+");
    private static final Pattern ADDR_SPEC = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+");
    private static final int MAX_COMMENT = 200;

    private AuthenticationResults() {
    }

    /**
     * @param spf  null when SPF was not checked
     * @param helo the HELO name, for {@code smtp.helo} when SPF checked the HELO identity
     * @param dkim null when DKIM was not verified; empty for an unsigned message
     * @param dmarc null when DMARC was not evaluated
     * @return the whole field, ending in CRLF
     */
    static String format(String authservId, SpfResult spf, String helo, List<DkimResult> dkim, DmarcResult dmarc) {
        List<String> results = new ArrayList<>();
        if (spf != null) {
            String comment = spf.problem() != null ? spf.problem() : spf.explanation();
            results.add("spf=" + spf.result().keyword() + comment(comment) + " "
                    + (spf.identity().equals("helo") ? "smtp.helo=" + value(helo) : "smtp.mailfrom=" + mailbox(spf.sender())));
        }
        if (dkim != null && dkim.isEmpty()) {
            results.add("dkim=none");
        } else if (dkim != null) {
            for (DkimResult signature : dkim) {
                StringBuilder resinfo = new StringBuilder("dkim=").append(signature.result().keyword()).append(comment(signature.reason()));
                if (signature.domain() != null) {
                    resinfo.append(" header.d=").append(value(signature.domain()));
                }
                if (signature.selector() != null) {
                    resinfo.append(" header.s=").append(value(signature.selector()));
                }
                if (signature.signaturePrefix() != null) {
                    resinfo.append(" header.b=").append(value(signature.signaturePrefix()));
                }
                results.add(resinfo.toString());
            }
        }
        if (dmarc != null) {
            String comment = dmarc.policy() == null ? dmarc.reason()
                    : "p=" + dmarc.policy().keyword() + " dis=" + dmarc.disposition().keyword()
                    + (dmarc.result() == DmarcResult.Result.PASS ? "" : "; " + dmarc.reason());
            results.add("dmarc=" + dmarc.result().keyword() + comment(comment)
                    + (dmarc.fromDomain() == null ? "" : " header.from=" + value(dmarc.fromDomain())));
        }
        StringBuilder field = new StringBuilder("Authentication-Results: ").append(authservId).append(';');
        if (results.isEmpty()) {
            return field.append(" none\r\n").toString();
        }
        for (int i = 0; i < results.size(); i++) {
            field.append("\r\n\t").append(results.get(i)).append(i + 1 < results.size() ? ";" : "");
        }
        return field.append("\r\n").toString();
    }

    /**
     * The authserv-id of a field's value (what follows the colon): its first token after any
     * blanks and comments, without quotes and without a final dot (mx.example.org. names the same
     * host, so a forger must not get past the check with it); "" when there is none.
     */
    static String authservId(String value) {
        String id = firstToken(value);
        return id.endsWith(".") ? id.substring(0, id.length() - 1) : id;
    }

    private static String firstToken(String value) {
        int i = 0;
        int depth = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (depth > 0 && c == '\\') {
                i += 2;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && !Character.isWhitespace(c)) {
                break;
            }
            i++;
        }
        if (i >= value.length()) {
            return "";
        }
        if (value.charAt(i) == '"') {
            StringBuilder quoted = new StringBuilder();
            for (int j = i + 1; j < value.length() && value.charAt(j) != '"'; j++) {
                char c = value.charAt(j);
                if (c == '\\' && j + 1 < value.length()) {
                    c = value.charAt(++j);
                }
                quoted.append(c);
            }
            return quoted.toString();
        }
        int end = i;
        while (end < value.length() && !Character.isWhitespace(value.charAt(end)) && ";(".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        return value.substring(i, end);
    }

    /** " (text)" with the text made safe for a comment, or "" for none. */
    private static String comment(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String cut = text.length() > MAX_COMMENT ? text.substring(0, MAX_COMMENT) + "..." : text;
        StringBuilder out = new StringBuilder(" (");
        cut.codePoints().forEach(c -> {
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\').append((char) c);
            } else {
                out.append(c < ' ' || c >= 0x7f ? '?' : (char) c);
            }
        });
        return out.append(')').toString();
    }

    /** An addr-spec as it is, anything else (quoted local parts, UTF-8) as a quoted-string. */
    private static String mailbox(String address) {
        return ADDR_SPEC.matcher(address).matches() ? address : quoted(address);
    }

    private static String value(String text) {
        return TOKEN.matcher(text).matches() ? text : quoted(text);
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else {
                out.append(c < ' ' || c >= 0x7f ? '?' : (char) c);
            }
        });
        return out.append('"').toString();
    }
}

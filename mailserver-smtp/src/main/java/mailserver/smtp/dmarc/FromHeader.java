package mailserver.smtp.dmarc;

import java.util.ArrayList;
import java.util.List;

import mailserver.core.mail.InvalidAddressException;
import mailserver.core.mail.MailAddress;

/**
 * The RFC5322.From domain DMARC evaluates (RFC 7489 6.6.1). A message must have exactly one
 * From field with exactly one mailbox; anything else is a {@link Problem}, which the caller
 * turns into a verdict (this server: several authors are rejected, no author is not checked).
 *
 * @param domain  the author's domain in lower-case A-labels, or null with a problem
 * @param problem null when the domain is usable
 * @param detail  what was wrong, for the log and the header comment
 */
public record FromHeader(String domain, Problem problem, String detail) {

    public enum Problem {
        /** no From field, or one without any mailbox (e.g. an empty group) */
        MISSING,
        /** several From fields or several mailboxes in one: whose domain to check is unclear */
        SEVERAL,
        /** a mailbox whose domain cannot be read */
        UNPARSABLE
    }

    /** @param fields the unfolded values of every From field, in order */
    public static FromHeader parse(List<String> fields) {
        if (fields.isEmpty()) {
            return new FromHeader(null, Problem.MISSING, "no From header");
        }
        if (fields.size() > 1) {
            return new FromHeader(null, Problem.SEVERAL, fields.size() + " From headers");
        }
        List<String> mailboxes = mailboxes(fields.get(0));
        if (mailboxes.isEmpty()) {
            return new FromHeader(null, Problem.MISSING, "no address in the From header");
        }
        if (mailboxes.size() > 1) {
            return new FromHeader(null, Problem.SEVERAL, mailboxes.size() + " addresses in the From header");
        }
        String address = mailboxes.get(0);
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return new FromHeader(null, Problem.UNPARSABLE, "From address without a domain");
        }
        try {
            return new FromHeader(MailAddress.normalizeDomain(address.substring(at + 1)), null, null);
        } catch (InvalidAddressException e) {
            return new FromHeader(null, Problem.UNPARSABLE, "unusable From domain");
        }
    }

    /**
     * The addr-specs of a mailbox-list or address-list: comments dropped, display names and
     * group names skipped, angle brackets and source routes removed.
     */
    static List<String> mailboxes(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        StringBuilder angle = null;
        String angled = null;
        boolean quoted = false;
        int comment = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || comment > 0) && i + 1 < value.length()) {
                if (comment == 0) {
                    (angle != null ? angle : plain).append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (comment > 0) {
                comment += c == '(' ? 1 : c == ')' ? -1 : 0;
            } else if (quoted) {
                (angle != null ? angle : plain).append(c);
                quoted = c != '"';
            } else if (c == '"') {
                quoted = true;
                (angle != null ? angle : plain).append(c);
            } else if (c == '(') {
                comment = 1;
            } else if (angle != null) {
                if (c == '>') {
                    angled = angle.toString();
                    angle = null;
                } else {
                    angle.append(c);
                }
            } else if (c == '<') {
                angle = new StringBuilder();
            } else if (c == ':') {
                plain.setLength(0); // a group's name
            } else if (c == ',' || c == ';') {
                add(out, angled != null ? angled : plain.toString());
                plain.setLength(0);
                angled = null;
            } else {
                plain.append(c);
            }
        }
        add(out, angled != null ? angled : angle != null ? angle.toString() : plain.toString());
        return out;
    }

    private static void add(List<String> out, String mailbox) {
        String spec = mailbox.strip();
        int route = spec.startsWith("@") ? spec.indexOf(':') : -1;
        if (route >= 0) {
            spec = spec.substring(route + 1); // obsolete source route, RFC 5322 4.4
        }
        spec = spec.replaceAll("[ \\t\\r\\n]+(?=@)|(?<=@)[ \\t\\r\\n]+", "").strip();
        if (!spec.isEmpty()) {
            out.add(spec);
        }
    }
}

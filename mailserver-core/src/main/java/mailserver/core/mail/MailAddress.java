package mailserver.core.mail;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An RFC 5321 mailbox {@code local-part@domain}, with RFC 6531 UTF-8 local parts and IDN domains.
 *
 * <p>The value is held in canonical form: {@code localPart} unquoted (quoting is only syntax,
 * {@code "a b"@x} has the local part {@code a b}) and case kept, because RFC 5321 leaves its
 * meaning to the receiving host; {@code domain} in lower-case A-labels ({@code xn--...}), or an
 * address literal such as {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}, so that two spellings
 * of one domain compare equal and can be used as lookup keys. {@link #displayDomain()} gives the
 * Unicode form for people.
 *
 * @param localPart the part before the {@code @}, without quotes or backslash escapes
 * @param domain    lower-case ASCII domain (A-labels) or a bracketed address literal
 */
public record MailAddress(String localPart, String domain) {

    /** RFC 5321 4.5.3.1.1. Counted in UTF-8 octets, as RFC 6531 3.3 asks. */
    public static final int MAX_LOCAL_PART_OCTETS = 64;
    /** RFC 5321 4.5.3.1.2. */
    public static final int MAX_DOMAIN_OCTETS = 255;
    /** RFC 5321 4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
    public static final int MAX_ADDRESS_OCTETS = 254;
    private static final int MAX_LABEL_OCTETS = 63;

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?");
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-f:.]+");

    /** Checks that the parts form a valid address; use {@link #parse} for text. */
    public MailAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        String whole = localPart + "@" + domain;
        checkLocalPart(localPart, whole);
        if (!domain.equals(domain.startsWith("[") ? normalizeLiteral(domain, whole) : normalizeDomain(domain, whole))) {
            throw new InvalidAddressException(whole, "domain not in canonical form (use MailAddress.parse)");
        }
        if (octets(localPart) + 1 + domain.length() > MAX_ADDRESS_OCTETS) {
            throw new InvalidAddressException(whole, "address longer than " + MAX_ADDRESS_OCTETS + " octets");
        }
    }

    /**
     * Reads an address as it appears inside {@code MAIL FROM:<...>}, {@code RCPT TO:<...>} or a
     * config file: no angle brackets, no source route, no surrounding spaces.
     */
    public static MailAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidAddressException("", "empty address");
        }
        // Bound the work before scanning: nothing longer can be valid.
        if (text.length() > MAX_ADDRESS_OCTETS + 2 * MAX_LOCAL_PART_OCTETS) {
            throw new InvalidAddressException(text, "address longer than " + MAX_ADDRESS_OCTETS + " octets");
        }
        int at = endOfLocalPart(text);
        String rawLocal = text.substring(0, at);
        String rawDomain = text.substring(at + 1);
        String local = rawLocal.startsWith("\"") ? unquote(rawLocal, text) : checkDotAtom(rawLocal, text);
        if (rawDomain.isEmpty()) {
            throw new InvalidAddressException(text, "empty domain");
        }
        String domain = rawDomain.startsWith("[") ? normalizeLiteral(rawDomain, text) : normalizeDomain(rawDomain, text);
        return new MailAddress(local, domain);
    }

    /**
     * Brings a domain name (not an address literal) to the form used for lookups: lower-case
     * A-labels. Accepts LDH labels and Unicode U-labels.
     *
     * @throws InvalidAddressException naming the broken label
     */
    public static String normalizeDomain(String domain) {
        return normalizeDomain(domain, domain);
    }

    /** {@code local@domain} with the local part quoted only when it has to be. */
    @Override
    public String toString() {
        return quoteIfNeeded(localPart) + "@" + domain;
    }

    /** Like {@link #toString()} but with the domain in Unicode (U-labels), for people. */
    public String toDisplayString() {
        return quoteIfNeeded(localPart) + "@" + displayDomain();
    }

    /** The domain with U-labels, e.g. {@code bücher.example} for {@code xn--bcher-kva.example}. */
    public String displayDomain() {
        return isAddressLiteral() ? domain : IDN.toUnicode(domain, IDN.ALLOW_UNASSIGNED);
    }

    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    /**
     * The case-folded form a directory looks addresses up by. Local parts are case-sensitive on
     * the wire, but every virtual-domain directory (and PostfixAdmin) treats them as not.
     */
    public String lookupKey() {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    // ---- local part -------------------------------------------------------------------------

    /** Index of the {@code @} that separates local part and domain; quotes may hide others. */
    private static int endOfLocalPart(String text) {
        if (text.charAt(0) == '"') {
            for (int i = 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '@') {
                        return i + 1;
                    }
                    throw new InvalidAddressException(text, i + 1 == text.length()
                            ? "missing @" : "text after the closing quote of the local part");
                }
            }
            throw new InvalidAddressException(text, "unterminated quoted local part");
        }
        int at = text.lastIndexOf('@');
        if (at < 0) {
            throw new InvalidAddressException(text, "missing @");
        }
        if (at == 0) {
            throw new InvalidAddressException(text, "empty local part");
        }
        return at;
    }

    private static String checkDotAtom(String local, String whole) {
        if (local.indexOf('@') >= 0) {
            throw new InvalidAddressException(whole, "more than one @");
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new InvalidAddressException(whole, "local part starts or ends with a dot or has two in a row (quote it)");
        }
        if (!isDotAtom(local)) {
            throw new InvalidAddressException(whole, "local part has characters that are only allowed when quoted");
        }
        return local;
    }

    private static String unquote(String quoted, String whole) {
        StringBuilder out = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                c = quoted.charAt(++i);
                if (c < 0x20 || c > 0x7e) {
                    throw new InvalidAddressException(whole, "backslash before a character that cannot be escaped");
                }
            }
            out.append(c);
        }
        if (out.isEmpty()) {
            throw new InvalidAddressException(whole, "empty local part");
        }
        return out.toString();
    }

    private static void checkLocalPart(String local, String whole) {
        if (local.isEmpty()) {
            throw new InvalidAddressException(whole, "empty local part");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == local.length() || !Character.isLowSurrogate(local.charAt(i + 1))) {
                    throw new InvalidAddressException(whole, "local part is not valid UTF-16 (lone surrogate)");
                }
                i++;
            } else if (Character.isISOControl(c)) {
                throw new InvalidAddressException(whole, "control character in local part");
            }
        }
        if (octets(local) > MAX_LOCAL_PART_OCTETS) {
            throw new InvalidAddressException(whole, "local part longer than " + MAX_LOCAL_PART_OCTETS + " octets");
        }
    }

    /** Every local part is representable; a dot-atom needs no quotes (RFC 5321 4.1.2 prefers that). */
    private static String quoteIfNeeded(String local) {
        if (isDotAtom(local)) {
            return local;
        }
        StringBuilder out = new StringBuilder(local.length() + 2).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    private static boolean isDotAtom(String local) {
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        return local.chars().allMatch(c -> c == '.' || isAtext(c));
    }

    /** RFC 5322 atext, widened by RFC 6531 to every non-ASCII character. */
    private static boolean isAtext(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ATEXT_SPECIALS.indexOf(c) >= 0 || c > 0x7f;
    }

    // ---- domain -----------------------------------------------------------------------------

    private static String normalizeDomain(String domain, String whole) {
        if (domain.isEmpty()) {
            throw new InvalidAddressException(whole, "empty domain");
        }
        if (domain.length() > MAX_DOMAIN_OCTETS) {
            throw new InvalidAddressException(whole, "domain longer than " + MAX_DOMAIN_OCTETS + " octets");
        }
        if (domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            throw new InvalidAddressException(whole, "empty domain label");
        }
        StringBuilder ascii = new StringBuilder(domain.length());
        for (String label : domain.split("\\.")) {
            if (!ascii.isEmpty()) {
                ascii.append('.');
            }
            ascii.append(asciiLabel(label, whole));
        }
        if (ascii.length() > MAX_DOMAIN_OCTETS) {
            throw new InvalidAddressException(whole, "domain longer than " + MAX_DOMAIN_OCTETS + " octets");
        }
        return ascii.toString();
    }

    /** One label to lower-case ASCII; U-labels become A-labels, A-labels must decode. */
    private static String asciiLabel(String label, String whole) {
        String ascii;
        if (label.chars().allMatch(c -> c < 0x80)) {
            ascii = label.toLowerCase(Locale.ROOT);
        } else {
            try {
                ascii = IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new InvalidAddressException(whole, "domain label \"" + label + "\" is not a valid IDN label");
            }
        }
        if (ascii.length() > MAX_LABEL_OCTETS) {
            throw new InvalidAddressException(whole, "domain label too long (more than " + MAX_LABEL_OCTETS + " octets)");
        }
        if (!LDH_LABEL.matcher(ascii).matches()) {
            throw new InvalidAddressException(whole, "domain label \"" + label
                    + "\" has characters other than letters, digits and inner hyphens");
        }
        if (ascii.startsWith("xn--") && !isDecodableALabel(ascii)) {
            throw new InvalidAddressException(whole, "domain label \"" + label + "\" is not a valid A-label");
        }
        return ascii;
    }

    /** IDN.toUnicode never fails: it hands back its input when the punycode is bad. */
    private static boolean isDecodableALabel(String ascii) {
        String unicode = IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED);
        if (unicode.equals(ascii)) {
            return false;
        }
        try {
            return IDN.toASCII(unicode, IDN.ALLOW_UNASSIGNED).equalsIgnoreCase(ascii);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    /** {@code [1.2.3.4]} or {@code [IPv6:...]} (RFC 5321 4.1.3), hex digits lower-cased. */
    private static String normalizeLiteral(String literal, String whole) {
        if (!literal.endsWith("]") || literal.length() < 3) {
            throw new InvalidAddressException(whole, "address literal without closing ]");
        }
        String inner = literal.substring(1, literal.length() - 1).toLowerCase(Locale.ROOT);
        if (IPV4.matcher(inner).matches()) {
            return "[" + inner + "]";
        }
        if (!inner.startsWith("ipv6:")) {
            throw new InvalidAddressException(whole, "address literal is neither IPv4 nor IPv6:");
        }
        String ipv6 = inner.substring(5);
        // Only hex, ':' and '.', so InetAddress treats it as a literal and never asks DNS.
        if (ipv6.indexOf(':') < 0 || !IPV6_CHARS.matcher(ipv6).matches()) {
            throw new InvalidAddressException(whole, "bad IPv6 address literal");
        }
        try {
            InetAddress.getByName(ipv6);
        } catch (UnknownHostException e) {
            throw new InvalidAddressException(whole, "bad IPv6 address literal");
        }
        return "[IPv6:" + ipv6 + "]";
    }

    private static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

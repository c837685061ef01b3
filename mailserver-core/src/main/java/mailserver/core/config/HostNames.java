package mailserver.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax of host names and listen addresses. Nothing here touches DNS: a config check must
 * give the same answer on a machine without network.
 */
final class HostNames {

    static final String HOSTNAME_EXPECTED =
            "a host name like mail.example.com (letters, digits and hyphens in dot-separated labels"
                    + " of at most 63 characters, 253 in all)";
    static final String ADDRESS_EXPECTED =
            "an IP address (0.0.0.0 for every IPv4 interface, :: for every interface) or a host name";

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    /** Hex digits, colons and an embedded IPv4 tail, then an optional zone like %eth0. */
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
    private static final int MAX_HOSTNAME_LENGTH = 253;

    private HostNames() {
    }

    static String hostname(String text) throws InvalidValueException {
        if (!isHostname(text)) {
            throw new InvalidValueException("must be " + HOSTNAME_EXPECTED + ", not " + InvalidValueException.shown(text));
        }
        return text;
    }

    static String address(String text) throws InvalidValueException {
        if (ipLiteral(text).isEmpty() && !isHostname(text)) {
            throw new InvalidValueException("must be " + ADDRESS_EXPECTED + ", not " + InvalidValueException.shown(text));
        }
        return text;
    }

    /** The address {@code text} spells when it is an IPv4 or IPv6 literal ({@code [::1]} too). */
    static Optional<InetAddress> ipLiteral(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean literal = IPV4.matcher(bare).matches()
                || bare.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(bare).matches();
        if (!literal) {
            return Optional.empty();
        }
        try {
            // Only a literal gets here, and InetAddress parses literals without any lookup.
            return Optional.of(InetAddress.getByName(bare));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean isHostname(String text) {
        if (text.isEmpty() || text.length() > MAX_HOSTNAME_LENGTH) {
            return false;
        }
        String[] labels = text.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // 10.0.0.300 has host-name syntax but is a mistyped address: a top-level label is never all digits.
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }
}

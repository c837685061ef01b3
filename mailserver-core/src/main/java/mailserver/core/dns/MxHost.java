package mailserver.core.dns;

/**
 * One MX record.
 *
 * @param preference lower is tried first
 * @param host       the exchange without the trailing dot, lower case; the empty string for a
 *                   null MX (RFC 7505: "0 ."), meaning the domain accepts no mail
 */
public record MxHost(int preference, String host) {

    /** Whether this is the RFC 7505 null MX, which says the domain receives no mail at all. */
    public boolean isNullMx() {
        return host.isEmpty();
    }
}

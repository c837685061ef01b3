package mailserver.smtp.dmarc;

import java.net.IDN;
import java.util.Locale;

import com.google.common.net.InternetDomainName;

/**
 * The Organizational Domain of RFC 7489 3.2: the public suffix of a name plus one label, from
 * the Public Suffix List that Guava bundles ({@link InternetDomainName}, ICANN and private
 * sections, as OpenDMARC reads the list). The list is updated by updating Guava, never by hand.
 */
public final class OrganizationalDomain {

    private OrganizationalDomain() {
    }

    /**
     * @param domain a domain name, A-labels or U-labels, any case, with or without the root dot
     * @return the organisational domain in lower-case A-labels; the name itself when it is a
     *         public suffix or has a single label
     */
    public static String of(String domain) {
        String name = normalize(domain);
        try {
            InternetDomainName parsed = InternetDomainName.from(IDN.toUnicode(name, IDN.ALLOW_UNASSIGNED));
            if (parsed.isUnderPublicSuffix()) {
                return IDN.toASCII(parsed.topPrivateDomain().toString(), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            }
            if (parsed.isPublicSuffix()) {
                return name;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Not a name Guava accepts (underscores, over-long labels): the default rule below.
        }
        // Not under any listed suffix: the PSL's default rule "*" makes the top label the suffix.
        int last = name.lastIndexOf('.');
        int secondLast = last < 0 ? -1 : name.lastIndexOf('.', last - 1);
        return secondLast < 0 ? name : name.substring(secondLast + 1);
    }

    /** Lower case, no root dot, A-labels, so two spellings of one name compare equal. */
    static String normalize(String domain) {
        String name = domain.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            // Left as written: it then matches nothing but itself.
        }
        return name.toLowerCase(Locale.ROOT);
    }
}

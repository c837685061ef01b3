package mailserver.smtp.dkim;

import java.util.ArrayList;
import java.util.List;

/**
 * The DNS TXT record that publishes a DKIM public key (RFC 6376 3.6.1), in zone-file form:
 * {@code mail._domainkey.example.org. IN TXT ( "v=DKIM1; k=rsa; " "p=MIIB..." "..." )}.
 * A TXT character-string holds at most 255 octets, and a 2048-bit key is longer, so the value is
 * split into several strings, which resolvers join back without a separator.
 */
public final class DkimTxtRecord {

    private static final int MAX_STRING = 255;
    private static final String TAGS = "v=DKIM1; k=rsa; ";

    private DkimTxtRecord() {
    }

    /** {@code <selector>._domainkey.<domain>}, without the trailing dot. */
    public static String name(String domain, String selector) {
        return selector + "._domainkey." + domain;
    }

    /** The record's value as one string, as a DNS hosting panel wants it. */
    public static String value(String publicKey) {
        return TAGS + "p=" + publicKey;
    }

    /** One zone-file line: owner with the trailing dot, the value in strings of at most 255 characters. */
    public static String zoneLine(String domain, String selector, String publicKey) {
        List<String> strings = new ArrayList<>();
        strings.add(TAGS);
        String p = "p=" + publicKey;
        for (int i = 0; i < p.length(); i += MAX_STRING) {
            strings.add(p.substring(i, Math.min(p.length(), i + MAX_STRING)));
        }
        StringBuilder line = new StringBuilder(name(domain, selector)).append(". IN TXT (");
        strings.forEach(s -> line.append(" \"").append(s).append('"'));
        return line.append(" )").toString();
    }
}

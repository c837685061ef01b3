package mailserver.smtp.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DMARC policy record (RFC 7489 6.3). {@code rua}/{@code ruf} are parsed and kept, but this
 * server sends no aggregate or failure reports.
 *
 * @param policy           {@code p=}
 * @param subdomainPolicy  {@code sp=}, for subdomains of the domain the record was found at;
 *                         empty means {@code p=} applies to them too
 * @param percent          {@code pct=}, 0 to 100
 * @param strictDkim       {@code adkim=s}
 * @param strictSpf        {@code aspf=s}
 * @param aggregateReports {@code rua=} URIs
 * @param failureReports   {@code ruf=} URIs
 */
public record DmarcRecord(
        DmarcPolicy policy,
        Optional<DmarcPolicy> subdomainPolicy,
        int percent,
        boolean strictDkim,
        boolean strictSpf,
        List<String> aggregateReports,
        List<String> failureReports) {

    private static final Pattern VERSION = Pattern.compile("v\\s*=\\s*DMARC1\\s*(;.*)?", Pattern.DOTALL);
    private static final Pattern PERCENT = Pattern.compile("[0-9]{1,3}");

    public DmarcRecord {
        aggregateReports = List.copyOf(aggregateReports);
        failureReports = List.copyOf(failureReports);
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("pct out of range: " + percent);
        }
    }

    /** RFC 7489 6.6.3: TXT records that do not begin with {@code v=DMARC1} are not DMARC records at all. */
    static boolean isDmarc(String txt) {
        return VERSION.matcher(txt.strip()).matches();
    }

    /**
     * Reads a record that {@link #isDmarc} accepted. Unknown tags are ignored (RFC 7489 6.3);
     * a bad {@code pct}, {@code adkim} or {@code aspf} value falls back to its default. A missing
     * or bad {@code p}, or a bad {@code sp}, makes the record invalid, except that a record with a
     * usable {@code rua} then counts as {@code p=none} (RFC 7489 6.6.3).
     *
     * @throws InvalidDmarcRecordException the record is to be discarded
     */
    static DmarcRecord parse(String txt) throws InvalidDmarcRecordException {
        Map<String, String> tags = tags(txt);
        List<String> rua = uris(tags.get("rua"));
        List<String> ruf = uris(tags.get("ruf"));
        Optional<DmarcPolicy> policy = Optional.ofNullable(tags.get("p")).flatMap(DmarcPolicy::parse);
        Optional<DmarcPolicy> subdomainPolicy = Optional.ofNullable(tags.get("sp")).flatMap(DmarcPolicy::parse);
        boolean badSubdomainPolicy = tags.containsKey("sp") && subdomainPolicy.isEmpty();
        if (policy.isEmpty() || badSubdomainPolicy) {
            String problem = policy.isEmpty()
                    ? (tags.containsKey("p") ? "invalid p=" + tags.get("p") : "no p= tag")
                    : "invalid sp=" + tags.get("sp");
            if (rua.isEmpty()) {
                throw new InvalidDmarcRecordException(problem);
            }
            policy = Optional.of(DmarcPolicy.NONE);
            subdomainPolicy = Optional.empty();
        }
        String pct = tags.getOrDefault("pct", "100");
        int percent = PERCENT.matcher(pct).matches() && Integer.parseInt(pct) <= 100 ? Integer.parseInt(pct) : 100;
        return new DmarcRecord(policy.get(), subdomainPolicy, percent, "s".equalsIgnoreCase(tags.get("adkim")),
                "s".equalsIgnoreCase(tags.get("aspf")), rua, ruf);
    }

    /** The policy for mail whose From domain is {@code subdomain}-of or the domain the record is at. */
    DmarcPolicy policyFor(boolean subdomain) {
        return subdomain ? subdomainPolicy.orElse(policy) : policy;
    }

    /** {@code tag=value} pairs separated by semicolons; names lower-cased, first occurrence wins. */
    private static Map<String, String> tags(String txt) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : txt.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                tags.putIfAbsent(part.substring(0, equals).strip().toLowerCase(Locale.ROOT), part.substring(equals + 1).strip());
            }
        }
        return tags;
    }

    /** Comma-separated URIs, each possibly with a {@code !size} suffix; unusable ones left out. */
    private static List<String> uris(String value) {
        List<String> uris = new ArrayList<>();
        if (value == null) {
            return uris;
        }
        for (String item : value.split(",")) {
            String uri = item.strip();
            int bang = uri.lastIndexOf('!');
            try {
                if (!uri.isEmpty() && new URI(bang > 0 ? uri.substring(0, bang) : uri).getScheme() != null) {
                    uris.add(uri);
                }
            } catch (URISyntaxException e) {
                // RFC 7489 6.4: an unusable URI is ignored.
            }
        }
        return uris;
    }
}

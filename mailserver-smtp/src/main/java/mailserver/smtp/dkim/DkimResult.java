package mailserver.smtp.dkim;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of one DKIM-Signature header field, with the RFC 8601 result names the
 * Authentication-Results header uses.
 *
 * <p>Every string is taken from the message but safe to put into a header field: printable
 * ASCII without spaces (the reason: with single spaces, at most 200 characters), or null.
 *
 * @param domain          the signature's {@code d=} (lower case, A-labels), or null when it is not a domain name
 * @param selector        {@code s=} likewise, or null
 * @param identity        {@code i=} as written (folding removed), or null when absent or not printable ASCII
 * @param algorithm       {@code a=} in lower case, or null
 * @param reason          why the result is not PASS (for the log and the header comment), null for PASS
 * @param signaturePrefix the first 8 characters of {@code b=} (RFC 6008 {@code header.b}), or null
 */
public record DkimResult(Result result, String domain, String selector, String identity, String algorithm,
        String reason, String signaturePrefix) {

    public enum Result {
        PASS, FAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR;

        /** The RFC 8601 keyword, e.g. {@code "pass"}. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DkimResult {
        Objects.requireNonNull(result, "result");
    }
}

package mailserver.smtp.dmarc;

import java.util.Locale;
import java.util.Objects;

/**
 * What DMARC says about one message.
 *
 * @param result      for Authentication-Results ({@code dmarc=...}, RFC 7489 11.2)
 * @param fromDomain  the RFC5322.From domain ({@code header.from}), or null when there was none to check
 * @param policy      the published policy that governed the message ({@code p=} or {@code sp=}),
 *                    or null when no record applied
 * @param disposition what the receiver should do: the policy on failure (one step milder when
 *                    {@code pct=} left the message out), else {@link DmarcPolicy#NONE}
 * @param reason      why, for the header comment and the log
 */
public record DmarcResult(Result result, String fromDomain, DmarcPolicy policy, DmarcPolicy disposition, String reason) {

    public enum Result {
        PASS, FAIL, NONE, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DmarcResult {
        Objects.requireNonNull(result);
        Objects.requireNonNull(disposition);
        Objects.requireNonNull(reason);
    }

    /** Nothing to enforce, e.g. no record or a DNS failure. */
    static DmarcResult noPolicy(Result result, String fromDomain, String reason) {
        return new DmarcResult(result, fromDomain, null, DmarcPolicy.NONE, reason);
    }
}

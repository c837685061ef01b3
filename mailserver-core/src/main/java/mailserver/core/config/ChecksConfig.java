package mailserver.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code checks:} SPF, DKIM and DMARC for mail from clients that neither authenticated nor are
 * in {@code smtp.relay-networks}.
 *
 * @param authservId           the authserv-id of our Authentication-Results headers (RFC 8601)
 * @param spf                  what SPF does on every SMTP listener without an override
 * @param spfTemperror         how an SPF temperror is answered without an override
 * @param dkimVerify           DKIM signatures are verified (else DMARC has only SPF to go on)
 * @param dmarc                what DMARC does
 * @param dmarcOverrideDomains From domains (and their subdomains) whose DMARC policy is never
 *                             enforced, as OpenDMARC's IgnoreDomains: e.g. a mailing list host
 * @param listeners            per-listener overrides of {@code spf} and {@code spf-temperror},
 *                             by listener name (smtp, submission, submissions)
 */
public record ChecksConfig(
        String authservId,
        SpfAction spf,
        TemperrorAction spfTemperror,
        boolean dkimVerify,
        DmarcMode dmarc,
        List<String> dmarcOverrideDomains,
        Map<String, ListenerChecks> listeners) {

    /** {@code off}: no SPF check; {@code tag}: only the headers; {@code reject}: fail is refused with 550 5.7.23. */
    public enum SpfAction { OFF, TAG, REJECT }

    /** {@code accept}: only the headers; {@code defer}: answered 451 4.7.24 so the client retries. */
    public enum TemperrorAction { ACCEPT, DEFER }

    /** {@code off}; {@code report-only}: headers and logs, no action; {@code enforce}: reject and quarantine. */
    public enum DmarcMode { OFF, REPORT_ONLY, ENFORCE }

    /** One listener's SPF settings. */
    public record ListenerChecks(SpfAction spf, TemperrorAction spfTemperror) {
        public ListenerChecks {
            Objects.requireNonNull(spf);
            Objects.requireNonNull(spfTemperror);
        }
    }

    public ChecksConfig {
        Objects.requireNonNull(authservId);
        Objects.requireNonNull(spf);
        Objects.requireNonNull(spfTemperror);
        Objects.requireNonNull(dmarc);
        dmarcOverrideDomains = List.copyOf(dmarcOverrideDomains);
        listeners = Map.copyOf(listeners);
    }

    /** The SPF settings of one listener: its override, else the section's. */
    public ListenerChecks forListener(String listenerName) {
        return listeners.getOrDefault(listenerName, new ListenerChecks(spf, spfTemperror));
    }
}

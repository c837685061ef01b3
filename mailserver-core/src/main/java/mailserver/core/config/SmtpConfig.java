package mailserver.core.config;

import java.time.Duration;
import java.util.List;
import mailserver.core.net.NetworkRange;

/**
 * {@code smtp:} what the three SMTP listeners (25, 587, 465) share.
 *
 * @param relayNetworks     clients that may relay without authenticating (Postfix's mynetworks)
 * @param maxMessageSize    bytes; larger messages are refused with 552 5.3.4 (message_size_limit)
 * @param maxRecipients     per message (smtpd_recipient_limit)
 * @param maxErrors         bad commands before the session is closed (smtpd_hard_error_limit)
 * @param idleTimeout       silence before the session is closed (smtpd_timeout)
 * @param senderMustBeOwned an authenticated client may send only from its own addresses and aliases
 */
public record SmtpConfig(
        List<NetworkRange> relayNetworks,
        long maxMessageSize,
        int maxRecipients,
        int maxErrors,
        Duration idleTimeout,
        boolean senderMustBeOwned) {

    public SmtpConfig {
        relayNetworks = List.copyOf(relayNetworks);
    }
}

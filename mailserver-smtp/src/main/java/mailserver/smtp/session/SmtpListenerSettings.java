package mailserver.smtp.session;

import java.util.List;
import java.util.Objects;

import mailserver.core.net.NetworkRange;

/**
 * How one SMTP listener behaves. {@link #mx}, {@link #submission} and {@link #submissions} give
 * the defaults of ports 25, 587 and 465; the YAML file may change every field.
 *
 * @param hostname               this server's name, in the greeting and Received headers
 * @param listenerName           smtp, submission or submissions: for the logs
 * @param implicitTls            TLS from the first byte (465)
 * @param startTlsAvailable      a certificate is there, so STARTTLS is offered before TLS is on
 * @param tlsRequired            MAIL is refused ({@code 530 5.7.0}) until TLS is on
 * @param authEnabled            AUTH is offered at all
 * @param authRequiresTls        AUTH is offered and accepted only once TLS is on
 * @param authRequired           MAIL is refused ({@code 530 5.7.0}) until the client authenticated
 * @param relayNetworks          clients that may relay without authenticating (Postfix's mynetworks)
 * @param senderMustBeOwned      an authenticated client may use only its own addresses in MAIL FROM
 * @param maxMessageBytes        the SIZE limit ({@code 552 5.3.4} past it)
 * @param maxRecipients          RCPTs per message ({@code 452 4.5.3} past it)
 * @param maxErrors              error replies before the session is dropped with {@code 421 4.7.0}
 *                               (Postfix's smtpd_hard_error_limit)
 */
public record SmtpListenerSettings(
        String hostname,
        String listenerName,
        boolean implicitTls,
        boolean startTlsAvailable,
        boolean tlsRequired,
        boolean authEnabled,
        boolean authRequiresTls,
        boolean authRequired,
        List<NetworkRange> relayNetworks,
        boolean senderMustBeOwned,
        long maxMessageBytes,
        int maxRecipients,
        int maxErrors) {

    public static final long DEFAULT_MAX_MESSAGE_BYTES = 50L * 1024 * 1024;
    public static final int DEFAULT_MAX_RECIPIENTS = 1000;
    public static final int DEFAULT_MAX_ERRORS = 20;
    /** Loopback may always relay, as Postfix's default mynetworks_style=host. */
    private static final List<NetworkRange> LOOPBACK = List.of(NetworkRange.parse("127.0.0.0/8"), NetworkRange.parse("::1"));

    public SmtpListenerSettings {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(listenerName, "listenerName");
        relayNetworks = List.copyOf(relayNetworks);
        if (maxMessageBytes <= 0 || maxRecipients <= 0 || maxErrors <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (authRequired && !authEnabled) {
            throw new IllegalArgumentException("listener " + listenerName + " requires AUTH but does not offer it");
        }
    }

    /** Port 25: STARTTLS offered, no AUTH, local domains for everyone, relaying for loopback. */
    public static SmtpListenerSettings mx(String hostname) {
        return new SmtpListenerSettings(hostname, "smtp", false, true, false, false, true, false, LOOPBACK, true,
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_RECIPIENTS, DEFAULT_MAX_ERRORS);
    }

    /** Port 587: STARTTLS, then AUTH, which MAIL requires. */
    public static SmtpListenerSettings submission(String hostname) {
        return new SmtpListenerSettings(hostname, "submission", false, true, true, true, true, true, List.of(), true,
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_RECIPIENTS, DEFAULT_MAX_ERRORS);
    }

    /** Port 465: TLS from the start, AUTH required. */
    public static SmtpListenerSettings submissions(String hostname) {
        return new SmtpListenerSettings(hostname, "submissions", true, false, true, true, true, true, List.of(), true,
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_RECIPIENTS, DEFAULT_MAX_ERRORS);
    }

    public SmtpListenerSettings withRelayNetworks(List<NetworkRange> networks) {
        return new SmtpListenerSettings(hostname, listenerName, implicitTls, startTlsAvailable, tlsRequired, authEnabled,
                authRequiresTls, authRequired, networks, senderMustBeOwned, maxMessageBytes, maxRecipients, maxErrors);
    }

    public SmtpListenerSettings withLimits(long maxMessageBytes, int maxRecipients, int maxErrors) {
        return new SmtpListenerSettings(hostname, listenerName, implicitTls, startTlsAvailable, tlsRequired, authEnabled,
                authRequiresTls, authRequired, relayNetworks, senderMustBeOwned, maxMessageBytes, maxRecipients, maxErrors);
    }

    /** The same listener without a certificate: no STARTTLS (and so no AUTH where AUTH needs TLS). */
    public SmtpListenerSettings withoutStartTls() {
        return new SmtpListenerSettings(hostname, listenerName, implicitTls, false, tlsRequired, authEnabled,
                authRequiresTls, authRequired, relayNetworks, senderMustBeOwned, maxMessageBytes, maxRecipients, maxErrors);
    }

    /** For port 25 relaying clients that authenticate, or a submission port that allows AUTH in cleartext. */
    public SmtpListenerSettings withAuth(boolean enabled, boolean requiresTls, boolean required) {
        return new SmtpListenerSettings(hostname, listenerName, implicitTls, startTlsAvailable, tlsRequired, enabled,
                requiresTls, required, relayNetworks, senderMustBeOwned, maxMessageBytes, maxRecipients, maxErrors);
    }

    public SmtpListenerSettings withSenderMustBeOwned(boolean owned) {
        return new SmtpListenerSettings(hostname, listenerName, implicitTls, startTlsAvailable, tlsRequired, authEnabled,
                authRequiresTls, authRequired, relayNetworks, owned, maxMessageBytes, maxRecipients, maxErrors);
    }
}

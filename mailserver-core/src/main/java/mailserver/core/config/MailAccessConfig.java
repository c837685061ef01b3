package mailserver.core.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code imap:} or {@code pop3:}, the protocols clients read mail with.
 *
 * @param allowPlaintextAuth accept passwords before TLS (Dovecot's disable_plaintext_auth = no)
 * @param idleTimeout        silence before an unauthenticated or idle session is closed
 * @param authMechanisms     SASL mechanisms offered, upper case, in the order announced (imap only;
 *                           pop3 always offers {@link MailAccessSection#DEFAULT_AUTH_MECHANISMS})
 */
public record MailAccessConfig(boolean allowPlaintextAuth, Duration idleTimeout, List<String> authMechanisms) {

    public MailAccessConfig {
        authMechanisms = List.copyOf(authMechanisms);
    }

    /** With the default mechanisms. */
    public MailAccessConfig(boolean allowPlaintextAuth, Duration idleTimeout) {
        this(allowPlaintextAuth, idleTimeout, MailAccessSection.DEFAULT_AUTH_MECHANISMS);
    }
}

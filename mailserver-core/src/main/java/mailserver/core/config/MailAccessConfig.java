package mailserver.core.config;

import java.time.Duration;

/**
 * {@code imap:} or {@code pop3:}, the protocols clients read mail with.
 *
 * @param allowPlaintextAuth accept passwords before TLS (Dovecot's disable_plaintext_auth = no)
 * @param idleTimeout        silence before an unauthenticated or idle session is closed
 */
public record MailAccessConfig(boolean allowPlaintextAuth, Duration idleTimeout) {
}

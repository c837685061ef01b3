package mailserver.pop3.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How the POP3 server behaves; one instance for all POP3 listeners.
 *
 * @param hostname           named in the greeting
 * @param allowPlaintextAuth USER/PASS and AUTH PLAIN/LOGIN without TLS (Dovecot's
 *                           {@code disable_plaintext_auth = no}); off by default
 * @param maxBadCommands     unknown, malformed or out-of-state commands before the connection is closed
 *                           (Dovecot: 20)
 * @param maxAuthFailures    failed logins on one connection before it is closed (Dovecot: 3)
 * @param idleTimeout        RFC 1939 3: the autologout timer must be at least 10 minutes
 * @param lockSession        one POP3 session per mailbox at a time, others get {@code [IN-USE]}
 *                           (Dovecot's {@code pop3_lock_session}, off by default there too)
 */
public record Pop3Settings(String hostname, boolean allowPlaintextAuth, int maxBadCommands, int maxAuthFailures,
                           Duration idleTimeout, boolean lockSession) {

    public static final int DEFAULT_MAX_BAD_COMMANDS = 20;
    public static final int DEFAULT_MAX_AUTH_FAILURES = 3;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    public Pop3Settings {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxBadCommands <= 0 || maxAuthFailures <= 0) {
            throw new IllegalArgumentException("maxBadCommands and maxAuthFailures must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
    }

    /** The defaults, as Dovecot's: plaintext logins only over TLS, no session lock. */
    public static Pop3Settings defaults(String hostname) {
        return new Pop3Settings(hostname, false, DEFAULT_MAX_BAD_COMMANDS, DEFAULT_MAX_AUTH_FAILURES,
                DEFAULT_IDLE_TIMEOUT, false);
    }
}

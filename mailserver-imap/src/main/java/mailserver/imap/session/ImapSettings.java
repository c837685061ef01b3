package mailserver.imap.session;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import mailserver.imap.parse.ImapLimits;

/**
 * How one IMAP listener behaves.
 *
 * @param hostname             named in the greeting
 * @param implicitTls          993: TLS from the first byte (no STARTTLS offered)
 * @param plaintextAuth        allow LOGIN and AUTHENTICATE before TLS (off: LOGINDISABLED, as Dovecot's default)
 * @param limits               command limits; {@code maxLiteralSize} is announced as APPENDLIMIT
 * @param maxBadCommands       this many BAD answers in a row end the session with BYE
 * @param idleTimeout          an unauthenticated or idle client is logged out after this (RFC 9051: at least 30 minutes once authenticated)
 * @param idlePollInterval     how often a session in IDLE looks for changes made by other processes (our own arrive at once)
 * @param authMechanisms       SASL mechanisms AUTHENTICATE accepts, upper case, in the order CAPABILITY lists them
 */
public record ImapSettings(String hostname, boolean implicitTls, boolean plaintextAuth, ImapLimits limits, int maxBadCommands,
                           Duration idleTimeout, Duration idlePollInterval, List<String> authMechanisms) {

    /** Dovecot's default auth_mechanisms, plus LOGIN for old Outlook. */
    public static final List<String> DEFAULT_AUTH_MECHANISMS = List.of("PLAIN", "LOGIN");

    public ImapSettings {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(idlePollInterval, "idlePollInterval");
        authMechanisms = List.copyOf(authMechanisms);
        if (maxBadCommands <= 0) {
            throw new IllegalArgumentException("maxBadCommands must be positive");
        }
    }

    /** Port 143 with STARTTLS, Dovecot-like defaults. */
    public static ImapSettings imap(String hostname) {
        return new ImapSettings(hostname, false, false, ImapLimits.DEFAULT, 20, Duration.ofMinutes(30), Duration.ofSeconds(5), DEFAULT_AUTH_MECHANISMS);
    }

    /** Port 993, TLS from the start. */
    public static ImapSettings imaps(String hostname) {
        return new ImapSettings(hostname, true, false, ImapLimits.DEFAULT, 20, Duration.ofMinutes(30), Duration.ofSeconds(5), DEFAULT_AUTH_MECHANISMS);
    }

    public ImapSettings withPlaintextAuth(boolean allowed) {
        return new ImapSettings(hostname, implicitTls, allowed, limits, maxBadCommands, idleTimeout, idlePollInterval, authMechanisms);
    }

    public ImapSettings withLimits(ImapLimits newLimits) {
        return new ImapSettings(hostname, implicitTls, plaintextAuth, newLimits, maxBadCommands, idleTimeout, idlePollInterval, authMechanisms);
    }

    public ImapSettings withIdlePollInterval(Duration interval) {
        return new ImapSettings(hostname, implicitTls, plaintextAuth, limits, maxBadCommands, idleTimeout, interval, authMechanisms);
    }

    public ImapSettings withAuthMechanisms(List<String> mechanisms) {
        return new ImapSettings(hostname, implicitTls, plaintextAuth, limits, maxBadCommands, idleTimeout, idlePollInterval, mechanisms);
    }
}

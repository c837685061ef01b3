package mailserver.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** {@code imap:} and {@code pop3:}, which take the same keys with their own defaults; only imap takes {@code auth-mechanisms}. */
final class MailAccessSection {

    static final String IMAP = "imap";
    static final String POP3 = "pop3";
    static final List<String> KEYS = List.of("allow-plaintext-auth", "idle-timeout");
    static final List<String> IMAP_KEYS = List.of("allow-plaintext-auth", "idle-timeout", "auth-mechanisms");

    static final List<String> DEFAULT_AUTH_MECHANISMS = List.of("PLAIN", "LOGIN");
    /** What the SASL code can do; SCRAM-SHA-256 only where the admin asks for it, as in Dovecot. */
    static final List<String> KNOWN_AUTH_MECHANISMS = List.of("PLAIN", "LOGIN", "SCRAM-SHA-256");

    /** RFC 9051 section 5.4: at least 30 minutes, so IDLE clients are not cut off. */
    static final Duration IMAP_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** RFC 1939 section 3: at least 10 minutes. */
    static final Duration POP3_IDLE_TIMEOUT = Duration.ofMinutes(10);

    private MailAccessSection() {
    }

    static MailAccessConfig bind(Section root, String name, Duration defaultIdleTimeout) {
        boolean imap = name.equals(IMAP);
        Section section = root.section(name, imap ? IMAP_KEYS : KEYS);
        List<String> mechanisms = imap
                ? section.list("auth-mechanisms", MailAccessSection::mechanism).orElse(DEFAULT_AUTH_MECHANISMS)
                : DEFAULT_AUTH_MECHANISMS;
        return new MailAccessConfig(
                section.bool("allow-plaintext-auth").orElse(false),
                section.value("idle-timeout", Durations::parse).orElse(defaultIdleTimeout),
                mechanisms.isEmpty() ? DEFAULT_AUTH_MECHANISMS : new ArrayList<>(new LinkedHashSet<>(mechanisms)));
    }

    private static String mechanism(String text) throws InvalidValueException {
        String name = text.strip().toUpperCase(Locale.ROOT);
        if (!KNOWN_AUTH_MECHANISMS.contains(name)) {
            throw new InvalidValueException("must be one of " + String.join(", ", KNOWN_AUTH_MECHANISMS)
                    + ", not " + InvalidValueException.shown(text));
        }
        return name;
    }
}

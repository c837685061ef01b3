package mailserver.core.config;

import java.time.Duration;
import java.util.List;

/** {@code imap:} and {@code pop3:}, which take the same keys with their own defaults. */
final class MailAccessSection {

    static final String IMAP = "imap";
    static final String POP3 = "pop3";
    static final List<String> KEYS = List.of("allow-plaintext-auth", "idle-timeout");

    /** RFC 9051 section 5.4: at least 30 minutes, so IDLE clients are not cut off. */
    static final Duration IMAP_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** RFC 1939 section 3: at least 10 minutes. */
    static final Duration POP3_IDLE_TIMEOUT = Duration.ofMinutes(10);

    private MailAccessSection() {
    }

    static MailAccessConfig bind(Section root, String name, Duration defaultIdleTimeout) {
        Section section = root.section(name, KEYS);
        return new MailAccessConfig(
                section.bool("allow-plaintext-auth").orElse(false),
                section.value("idle-timeout", Durations::parse).orElse(defaultIdleTimeout));
    }
}

package mailserver.core.config;

import java.time.Duration;
import java.util.List;
import mailserver.core.net.NetworkRange;

/** {@code smtp:} settings shared by the smtp, submission and submissions listeners. */
final class SmtpSection {

    static final String NAME = "smtp";
    static final List<String> KEYS = List.of(
            "relay-networks", "max-message-size", "max-recipients", "max-errors", "idle-timeout", "sender-must-be-owned");

    /** Only this host itself, as Postfix's mynetworks_style = host. */
    static final List<NetworkRange> DEFAULT_RELAY_NETWORKS = List.of(NetworkRange.parse("127.0.0.0/8"), NetworkRange.parse("::1"));
    static final long DEFAULT_MAX_MESSAGE_SIZE = 50L << 20;
    static final int DEFAULT_MAX_RECIPIENTS = 1000;
    static final int DEFAULT_MAX_ERRORS = 20;
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private SmtpSection() {
    }

    static SmtpConfig bind(Section root) {
        Section smtp = root.section(NAME, KEYS);
        return new SmtpConfig(
                smtp.list("relay-networks", SmtpSection::network).orElse(DEFAULT_RELAY_NETWORKS),
                smtp.value("max-message-size", Sizes::parse).orElse(DEFAULT_MAX_MESSAGE_SIZE),
                smtp.integer("max-recipients", 1, 100_000).orElse(DEFAULT_MAX_RECIPIENTS),
                smtp.integer("max-errors", 1, 10_000).orElse(DEFAULT_MAX_ERRORS),
                smtp.value("idle-timeout", Durations::parse).orElse(DEFAULT_IDLE_TIMEOUT),
                smtp.bool("sender-must-be-owned").orElse(true));
    }

    private static NetworkRange network(String text) throws InvalidValueException {
        try {
            return NetworkRange.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("must be an IP address or network like 192.0.2.0/24 or 2001:db8::/32; "
                    + e.getMessage());
        }
    }
}

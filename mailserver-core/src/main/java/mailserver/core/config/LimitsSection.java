package mailserver.core.config;

import java.util.List;

/** {@code limits:} connection limits, applied to every listener on its own. */
final class LimitsSection {

    static final String NAME = "limits";
    static final List<String> KEYS = List.of("max-connections", "max-connections-per-ip");

    static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** Postfix's smtpd_client_connection_count_limit is 50; a mail client keeps a handful open. */
    static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 20;

    private LimitsSection() {
    }

    static LimitsConfig bind(Section root) {
        Section limits = root.section(NAME, KEYS);
        return new LimitsConfig(
                limits.integer("max-connections", 1, 1_000_000).orElse(DEFAULT_MAX_CONNECTIONS),
                limits.integer("max-connections-per-ip", 1, 1_000_000).orElse(DEFAULT_MAX_CONNECTIONS_PER_IP));
    }
}

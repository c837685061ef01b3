package mailserver.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code outbound:} the SMTP client that delivers queued mail: HELO name, port, TLS policy, an
 * optional relayhost with login, per-domain transports and timeouts.
 */
final class OutboundSection {

    static final String NAME = "outbound";
    static final List<String> KEYS = List.of(
            "helo-name", "port", "tls", "relayhost", "transports", "connection-cache-time", "timeouts");
    static final List<String> RELAYHOST_KEYS = List.of(
            "host", "port", "tls", "username", "password", "password-file", "allow-plaintext-auth");
    static final List<String> TIMEOUT_KEYS = List.of("connect", "helo", "mail", "rcpt", "data-init", "data-done");

    static final int DEFAULT_PORT = 25;
    static final int DEFAULT_IMPLICIT_TLS_PORT = 465;
    static final Duration DEFAULT_CONNECTION_CACHE_TIME = Duration.ofSeconds(2);
    /** Postfix's defaults (smtp_connect_timeout, smtp_helo_timeout, ...). */
    static final OutboundConfig.Timeouts DEFAULT_TIMEOUTS = new OutboundConfig.Timeouts(Duration.ofSeconds(30),
            Duration.ofSeconds(300), Duration.ofSeconds(300), Duration.ofSeconds(300), Duration.ofSeconds(120),
            Duration.ofSeconds(600));

    private OutboundSection() {
    }

    static OutboundConfig bind(Section root, ServerConfig server) {
        Section outbound = root.section(NAME, KEYS);
        int port = outbound.integer("port", 1, 65535).orElse(DEFAULT_PORT);
        Optional<Map<String, OutboundConfig.NextHop>> transports = outbound.map("transports",
                OutboundSection::domain, text -> nextHop(text, port));
        return new OutboundConfig(
                outbound.value("helo-name", HostNames::hostname).orElse(server.hostname()),
                port,
                outbound.value("tls", text -> tlsPolicy(text, false)).orElse(OutboundConfig.TlsPolicy.MAY),
                relayhost(outbound),
                transports.orElse(Map.of()),
                outbound.value("connection-cache-time", Durations::parse).orElse(DEFAULT_CONNECTION_CACHE_TIME),
                timeouts(outbound.section("timeouts", TIMEOUT_KEYS)));
    }

    private static OutboundConfig.Relayhost relayhost(Section outbound) {
        Section relayhost = outbound.section("relayhost", RELAYHOST_KEYS);
        Optional<String> host = relayhost.text("host");
        OutboundConfig.TlsPolicy tls = relayhost.value("tls", text -> tlsPolicy(text, true))
                .orElse(OutboundConfig.TlsPolicy.MAY);
        int port = relayhost.integer("port", 1, 65535)
                .orElse(tls == OutboundConfig.TlsPolicy.IMPLICIT ? DEFAULT_IMPLICIT_TLS_PORT : DEFAULT_PORT);
        String username = relayhost.text("username").orElse("");
        String password = Secrets.password(relayhost);
        boolean allowPlaintextAuth = relayhost.bool("allow-plaintext-auth").orElse(false);
        if (host.isEmpty()) {
            for (String key : RELAYHOST_KEYS) {
                if (relayhost.has(key)) {
                    relayhost.problem(key, "needs " + relayhost.keyPath("host") + " to say which server to relay through");
                    break;
                }
            }
            return null;
        }
        if (!username.isEmpty() && password.isEmpty()) {
            relayhost.problem("username", "is set but neither " + relayhost.keyPath("password") + " nor "
                    + relayhost.keyPath("password-file") + " is");
        }
        Optional<OutboundConfig.NextHop> hop = relayhost.value("host", text -> host(text, port));
        return hop.map(h -> new OutboundConfig.Relayhost(h, tls, username, password, allowPlaintextAuth)).orElse(null);
    }

    private static OutboundConfig.Timeouts timeouts(Section timeouts) {
        OutboundConfig.Timeouts d = DEFAULT_TIMEOUTS;
        return new OutboundConfig.Timeouts(
                timeout(timeouts, "connect", d.connect()),
                timeout(timeouts, "helo", d.helo()),
                timeout(timeouts, "mail", d.mail()),
                timeout(timeouts, "rcpt", d.rcpt()),
                timeout(timeouts, "data-init", d.dataInit()),
                timeout(timeouts, "data-done", d.dataDone()));
    }

    private static Duration timeout(Section timeouts, String key, Duration fallback) {
        return timeouts.value(key, text -> {
            Duration duration = Durations.parse(text);
            if (duration.isZero()) {
                throw new InvalidValueException("must be longer than 0");
            }
            return duration;
        }).orElse(fallback);
    }

    private static OutboundConfig.TlsPolicy tlsPolicy(String text, boolean relayhost) throws InvalidValueException {
        String expected = relayhost ? "none, may, encrypt or implicit" : "none, may or encrypt";
        try {
            OutboundConfig.TlsPolicy policy = OutboundConfig.TlsPolicy.valueOf(text.strip().toUpperCase(Locale.ROOT));
            if (policy != OutboundConfig.TlsPolicy.IMPLICIT || relayhost) {
                return policy;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidValueException("must be " + expected + ", not " + InvalidValueException.shown(text));
    }

    private static String domain(String text) throws InvalidValueException {
        return HostNames.hostname(text).toLowerCase(Locale.ROOT);
    }

    /** {@code host}, {@code [host]}, either with {@code :port}; IPv6 only in brackets. */
    static OutboundConfig.NextHop nextHop(String text, int defaultPort) throws InvalidValueException {
        String trimmed = text.strip();
        int close = trimmed.lastIndexOf(']');
        int colon = trimmed.lastIndexOf(':');
        if (colon > close && (close >= 0 || trimmed.indexOf(':') == colon)) {
            String port = trimmed.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new InvalidValueException("must be host, [host], host:port or [host]:port with a port from 1"
                        + " to 65535, not " + InvalidValueException.shown(text));
            }
            return host(trimmed.substring(0, colon), Integer.parseInt(port));
        }
        return host(trimmed, defaultPort);
    }

    private static OutboundConfig.NextHop host(String text, int port) throws InvalidValueException {
        String trimmed = text.strip();
        boolean bracketed = trimmed.startsWith("[") && trimmed.endsWith("]");
        String bare = bracketed ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
        if (HostNames.ipLiteral(bare).isEmpty()) {
            try {
                HostNames.hostname(bare);
            } catch (InvalidValueException e) {
                throw new InvalidValueException("must be a host name or IP address, optionally in [brackets] to skip"
                        + " the MX lookup, like [smtp.example.com]:587, not " + InvalidValueException.shown(text));
            }
        } else if (!bracketed) {
            // An address has no MX records; Postfix also wants it bracketed.
            throw new InvalidValueException("an IP address must be in [brackets], like [192.0.2.1], not "
                    + InvalidValueException.shown(text));
        }
        return new OutboundConfig.NextHop(bare.toLowerCase(Locale.ROOT), !bracketed, port);
    }
}

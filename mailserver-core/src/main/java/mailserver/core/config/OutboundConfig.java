package mailserver.core.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * {@code outbound:} how mail leaves for other servers (Postfix's smtp(8) client settings).
 *
 * @param heloName            the name sent in EHLO/HELO (smtp_helo_name)
 * @param port                the port of servers found through MX lookups and of transports without one
 * @param tls                 STARTTLS policy for every destination but the relayhost (smtp_tls_security_level)
 * @param relayhost           every message not matched by {@code transports} goes there; null = MX lookup
 * @param transports          lower-case destination domain to next hop (transport(5))
 * @param connectionCacheTime how long an idle connection is kept for the next message to the same
 *                            next hop (smtp_connection_cache_time_limit); zero closes it at once
 * @param timeouts            per protocol stage
 */
public record OutboundConfig(
        String heloName,
        int port,
        TlsPolicy tls,
        Relayhost relayhost,
        Map<String, NextHop> transports,
        Duration connectionCacheTime,
        Timeouts timeouts) {

    public OutboundConfig {
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(timeouts, "timeouts");
        transports = Map.copyOf(transports);
    }

    /** Postfix's smtp_tls_security_level, plus implicit TLS (port 465, smtp_tls_wrappermode). */
    public enum TlsPolicy {
        /** Never STARTTLS. */
        NONE,
        /** STARTTLS when offered, certificate not verified; cleartext otherwise. */
        MAY,
        /** STARTTLS required (certificate not verified); a server without it is a temporary failure. */
        ENCRYPT,
        /** TLS from the first byte (port 465); relayhost only. */
        IMPLICIT
    }

    /**
     * Where to connect instead of looking up the domain's MX.
     *
     * @param host     host name or IP address
     * @param mxLookup true for {@code host} written without brackets: its MX records are looked
     *                 up, as Postfix does; false for {@code [host]}: its addresses only
     * @param port     the port
     */
    public record NextHop(String host, boolean mxLookup, int port) {

        public NextHop {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String toString() {
            return (mxLookup ? host : "[" + host + "]") + ":" + port;
        }
    }

    /**
     * The smarthost (Postfix's relayhost) with its own TLS policy and optional login.
     *
     * @param username           SASL user name, "" for no AUTH
     * @param password           its password
     * @param allowPlaintextAuth AUTH even when the connection is not encrypted
     */
    public record Relayhost(NextHop hop, TlsPolicy tls, String username, String password,
                            boolean allowPlaintextAuth) {

        public Relayhost {
            Objects.requireNonNull(hop, "hop");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        /** Without the password, which would otherwise end up in logs. */
        @Override
        public String toString() {
            return "Relayhost[hop=" + hop + ", tls=" + tls + ", username=" + username + ", allowPlaintextAuth="
                    + allowPlaintextAuth + "]";
        }
    }

    /** How long to wait for each stage, like Postfix's smtp_*_timeout. */
    public record Timeouts(Duration connect, Duration helo, Duration mail, Duration rcpt, Duration dataInit,
                           Duration dataDone) {
    }
}

package mailserver.smtp.outbound;

import java.net.InetAddress;
import java.util.Objects;
import mailserver.core.config.OutboundConfig;

/**
 * One server address to try for a destination, with how to talk to it.
 *
 * @param host    the server's name (MX target, relayhost, or the address itself), for logs and TLS SNI
 * @param address where to connect
 * @param port    TCP port
 * @param tls     the TLS policy for this server
 * @param login   the relayhost login, or null: AUTH is used only towards the relayhost
 */
record Hop(String host, InetAddress address, int port, OutboundConfig.TlsPolicy tls, Login login) {

    Hop {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tls, "tls");
    }

    /** Postfix's relay= form: {@code mx.example.org[192.0.2.1]:25}. */
    String relay() {
        return host + "[" + address.getHostAddress() + "]:" + port;
    }

    /**
     * Connections are reused only for the same address, port, TLS policy and login, so a
     * connection opened for the relayhost never carries mail for a transport to the same address.
     */
    String cacheKey() {
        return address.getHostAddress() + "|" + port + "|" + tls + "|" + (login == null ? "" : login.username());
    }

    /**
     * SASL credentials for the relayhost.
     *
     * @param allowPlaintext send them even over a connection without TLS
     */
    record Login(String username, String password, boolean allowPlaintext) {

        /** Without the password. */
        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }
}

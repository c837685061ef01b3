package mailserver.smtp.session;

import java.util.Objects;

/**
 * The negotiated TLS of a connection, for the Received header and the logs.
 *
 * @param protocol    e.g. {@code TLSv1.3}
 * @param cipherSuite e.g. {@code TLS_AES_256_GCM_SHA384}
 */
public record TlsInfo(String protocol, String cipherSuite) {

    public TlsInfo {
        Objects.requireNonNull(protocol);
        Objects.requireNonNull(cipherSuite);
    }
}

package mailserver.core.tls;

import java.util.List;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

/**
 * The server side TLS policy in one place: TLS 1.2 and 1.3 only; for 1.2 only AEAD suites with
 * forward secrecy (Mozilla's "intermediate" list), so nothing with RC4, 3DES, CBC, NULL, EXPORT
 * or anonymous key exchange is ever offered. No client certificates.
 */
final class ServerSslContexts {

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    static final List<String> CIPHER_SUITES = List.of(
            // TLS 1.3 (all of its suites are AEAD with forward secrecy)
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            // TLS 1.2
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private ServerSslContexts() {
    }

    static SslContext build(CertifiedKey certifiedKey) throws TlsException {
        try {
            return SslContextBuilder.forServer(certifiedKey.privateKey(), certifiedKey.chain())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    // The filter drops suites this JDK lacks instead of failing on them.
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                    .clientAuth(ClientAuth.NONE)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsException("cannot build a TLS context for the certificate "
                    + certifiedKey.leaf().getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }
}

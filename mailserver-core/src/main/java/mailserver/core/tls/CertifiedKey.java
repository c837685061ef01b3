package mailserver.core.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A certificate chain (leaf first) and the private key of its leaf. */
record CertifiedKey(List<X509Certificate> chain, PrivateKey privateKey) {

    CertifiedKey {
        chain = List.copyOf(chain);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }
}

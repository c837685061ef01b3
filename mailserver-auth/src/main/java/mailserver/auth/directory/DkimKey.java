package mailserver.auth.directory;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * A DKIM signing key of one of our domains ({@code mailserver_dkim_key}).
 *
 * @param domain        the signing domain (d=), lower case, A-label
 * @param selector      s=; the key is published at {@code <selector>._domainkey.<domain>}
 * @param privateKeyPem the private key, PEM "PRIVATE KEY" (PKCS#8)
 * @param publicKey     base64 of the DER SubjectPublicKeyInfo: the p= of the DNS record
 * @param active        whether it signs; one key per domain is active at a time
 */
public record DkimKey(String domain, String selector, String privateKeyPem, String publicKey, LocalDateTime created, boolean active) {

    public DkimKey {
        Objects.requireNonNull(domain);
        Objects.requireNonNull(selector);
        Objects.requireNonNull(privateKeyPem);
        Objects.requireNonNull(publicKey);
        Objects.requireNonNull(created);
    }

    /** Without the private key: a record's toString ends up in logs and assertion messages. */
    @Override
    public String toString() {
        return "DkimKey[" + selector + "._domainkey." + domain + (active ? ", active" : ", inactive") + ", created " + created + "]";
    }
}

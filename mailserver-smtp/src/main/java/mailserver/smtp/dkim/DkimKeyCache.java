package mailserver.smtp.dkim;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.Optional;

import mailserver.auth.directory.DkimKey;
import mailserver.auth.directory.Directory;
import mailserver.auth.directory.DirectoryException;

/**
 * The active signing key per domain, from the directory, parsed once and kept for a short while:
 * a burst of outgoing mail costs one query, and a key made by {@code mailserver dkim keygen} in
 * another process signs within the TTL. "No key" is cached too; failures are not.
 */
final class DkimKeyCache {

    /** A domain's active key, ready to sign with. */
    record SigningKey(String domain, String selector, RSAPrivateKey privateKey) {

        @Override
        public String toString() {
            return "SigningKey[" + selector + "._domainkey." + domain + "]";
        }
    }

    private static final long MAX_DOMAINS = 10_000;

    private final Directory directory;
    private final Cache<String, Optional<SigningKey>> keys;

    DkimKeyCache(Directory directory, Duration ttl) {
        this.directory = directory;
        this.keys = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_DOMAINS).build();
    }

    /**
     * The key that signs mail from {@code domain} (lower case, A-label): the active key of a local
     * domain; empty for other domains and domains without a key.
     */
    Optional<SigningKey> forDomain(String domain) throws DirectoryException, GeneralSecurityException {
        Optional<SigningKey> cached = keys.getIfPresent(domain);
        if (cached != null) {
            return cached;
        }
        Optional<SigningKey> loaded = load(domain);
        keys.put(domain, loaded);
        return loaded;
    }

    private Optional<SigningKey> load(String domain) throws DirectoryException, GeneralSecurityException {
        if (!directory.isLocalDomain(domain)) {
            return Optional.empty();
        }
        Optional<DkimKey> key = directory.findActiveDkimKey(domain);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SigningKey(domain, key.get().selector(), DkimKeys.privateKey(key.get().privateKeyPem())));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new GeneralSecurityException("the stored DKIM key " + key.get().selector() + " of " + domain
                    + " is not a usable RSA private key: " + e.getMessage(), e);
        }
    }
}

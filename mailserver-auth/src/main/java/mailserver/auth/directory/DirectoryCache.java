package mailserver.auth.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short-lived cache in front of lookups and successful logins, like Dovecot's auth cache:
 * a burst of RCPT TOs or IMAP reconnects costs one query and one hash check, not hundreds.
 *
 * <p>A login is cached under the username plus an HMAC of the password with a key that lives
 * only in this process, so the cache never holds a password, and a different password (the new
 * one after a change) misses the cache and is checked against the database. Failed logins are
 * never cached. Admin writes in this process clear everything; changes made elsewhere (another
 * node, PostfixAdmin) show within the TTL.
 */
final class DirectoryCache {

    interface Loader<T> {
        T load() throws DirectoryException;
    }

    private static final long MAX_ENTRIES = 100_000;

    private final Cache<String, Object> entries;
    private final SecretKeySpec loginKey;

    DirectoryCache(Duration ttl) {
        this.entries = ttl == null || ttl.isZero() || ttl.isNegative()
                ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ENTRIES).build();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.loginKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The cached value for {@code kind:key}, or the loaded one (then cached). */
    @SuppressWarnings("unchecked")
    <T> T get(String kind, String key, Loader<T> loader) throws DirectoryException {
        if (entries == null) {
            return loader.load();
        }
        String cacheKey = kind + ":" + key;
        Object cached = entries.getIfPresent(cacheKey);
        if (cached != null) {
            return (T) cached;
        }
        T loaded = loader.load();
        entries.put(cacheKey, loaded);
        return loaded;
    }

    Optional<AccountInfo> cachedLogin(String username, char[] password) {
        if (entries == null) {
            return Optional.empty();
        }
        return Optional.ofNullable((AccountInfo) entries.getIfPresent(loginKey(username, password)));
    }

    void rememberLogin(String username, char[] password, AccountInfo account) {
        if (entries != null) {
            entries.put(loginKey(username, password), account);
        }
    }

    void invalidateAll() {
        if (entries != null) {
            entries.invalidateAll();
        }
    }

    private String loginKey(String username, char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(loginKey);
            for (char ch : password) {
                mac.update((byte) (ch >> 8));
                mac.update((byte) ch);
            }
            return "login:" + username + ":" + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}

package mailserver.auth.password;

import java.security.MessageDigest;

/**
 * Dovecot's {@code {SCRAM-SHA-256}iterations,salt,StoredKey,ServerKey}: a password checks out
 * when it derives the same StoredKey with the stored salt and iteration count.
 */
final class ScramSha256 implements PasswordScheme {

    @Override
    public boolean matches(byte[] password, String encoded) throws PasswordSchemeException {
        ScramCredentials stored = ScramCredentials.decode(encoded);
        ScramCredentials derived = ScramCredentials.derive(password, stored.salt(), stored.iterations());
        return MessageDigest.isEqual(derived.storedKey(), stored.storedKey());
    }

    @Override
    public String encode(byte[] password) {
        return ScramCredentials.derive(password, Salts.random(16), ScramCredentials.DEFAULT_ITERATIONS).encode();
    }
}

package mailserver.auth.password;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** SSHA, SSHA256, SSHA512: base64(digest(password + salt) + salt), the LDAP-style salted hashes. */
final class SaltedDigest implements PasswordScheme {

    private static final int MAX_SALT_BYTES = 256;

    private final String algorithm;
    private final int digestLength;

    SaltedDigest(String algorithm, int digestLength) {
        this.algorithm = algorithm;
        this.digestLength = digestLength;
    }

    @Override
    public boolean matches(byte[] password, String encoded) throws PasswordSchemeException {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new PasswordSchemeException("salted " + algorithm + " hash is not base64");
        }
        if (decoded.length <= digestLength || decoded.length > digestLength + MAX_SALT_BYTES) {
            throw new PasswordSchemeException("salted " + algorithm + " hash has the wrong length");
        }
        byte[] salt = Arrays.copyOfRange(decoded, digestLength, decoded.length);
        return MessageDigest.isEqual(digest(password, salt), Arrays.copyOf(decoded, digestLength));
    }

    @Override
    public String encode(byte[] password) {
        byte[] salt = Salts.random(8);
        byte[] digest = digest(password, salt);
        byte[] out = Arrays.copyOf(digest, digest.length + salt.length);
        System.arraycopy(salt, 0, out, digest.length, salt.length);
        return Base64.getEncoder().encodeToString(out);
    }

    private byte[] digest(byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}

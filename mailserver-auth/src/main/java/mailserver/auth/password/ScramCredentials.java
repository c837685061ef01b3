package mailserver.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a server must hold to run SCRAM-SHA-256 (RFC 5802 section 3, RFC 7677): the salt and
 * iteration count it sends, StoredKey to check the client's proof and ServerKey to prove itself.
 * Neither key is the password, but either lets an attacker who stole it test guesses with only
 * {@code iterations} PBKDF2 rounds each, and StoredKey plus one overheard exchange lets them log in.
 */
public record ScramCredentials(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    /** Dovecot's default and RFC 7677's minimum. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** A stored count above this would let one login occupy a worker for seconds. */
    static final int MAX_ITERATIONS = 1_000_000;
    static final int KEY_LENGTH = 32;

    public ScramCredentials {
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** The credentials of a password (UTF-8, not SASLprep'd, as Dovecot does), from SaltedPassword = PBKDF2(password, salt, iterations). */
    public static ScramCredentials derive(byte[] password, byte[] salt, int iterations) {
        byte[] salted = pbkdf2(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredentials(iterations, salt, sha256(clientKey), serverKey);
    }

    /** HMAC-SHA-256, the HMAC() of RFC 5802. */
    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** SHA-256, the H() of RFC 5802. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Dovecot's stored form without the scheme prefix: {@code iterations,salt,StoredKey,ServerKey} in base64. */
    String encode() {
        Base64.Encoder b64 = Base64.getEncoder();
        return iterations + "," + b64.encodeToString(salt) + "," + b64.encodeToString(storedKey) + "," + b64.encodeToString(serverKey);
    }

    static ScramCredentials decode(String encoded) throws PasswordSchemeException {
        String[] parts = encoded.split(",", -1);
        if (parts.length != 4) {
            throw new PasswordSchemeException("SCRAM-SHA-256 hash needs iterations,salt,StoredKey,ServerKey");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new PasswordSchemeException("SCRAM-SHA-256 iteration count is not a number");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new PasswordSchemeException("SCRAM-SHA-256 iteration count must be 1 to " + MAX_ITERATIONS);
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] salt = b64.decode(parts[1]);
            byte[] storedKey = b64.decode(parts[2]);
            byte[] serverKey = b64.decode(parts[3]);
            if (salt.length == 0 || storedKey.length != KEY_LENGTH || serverKey.length != KEY_LENGTH) {
                throw new PasswordSchemeException("SCRAM-SHA-256 hash has an empty salt or keys that are not 32 bytes");
            }
            return new ScramCredentials(iterations, salt, storedKey, serverKey);
        } catch (IllegalArgumentException e) {
            throw new PasswordSchemeException("SCRAM-SHA-256 hash is not base64");
        }
    }

    private static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        // RFC 5802's Hi() by hand: the JDK's PBKDF2 takes the password as a char[] it cannot be
        // given UTF-8 bytes for. HMAC pads keys with zeros, so an empty key equals one zero byte.
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[salt.length + 3] = 1;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA256"));
            byte[] u = mac.doFinal(block);
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}

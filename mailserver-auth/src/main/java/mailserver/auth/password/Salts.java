package mailserver.auth.password;

import java.security.SecureRandom;

/** Random salts from one shared SecureRandom. */
final class Salts {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Salts() {
    }

    static byte[] random(int length) {
        byte[] salt = new byte[length];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /** A salt in crypt(3)'s own 64-character alphabet, as the $1$/$5$/$6$ formats need. */
    static String cryptSalt(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(CRYPT_ALPHABET.charAt(RANDOM.nextInt(CRYPT_ALPHABET.length())));
        }
        return out.toString();
    }
}

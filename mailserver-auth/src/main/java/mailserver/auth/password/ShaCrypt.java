package mailserver.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;

/** {@code $5$} and {@code $6$} crypt (Drepper's SHA-crypt): SHA256-CRYPT and SHA512-CRYPT. */
final class ShaCrypt implements PasswordScheme {

    /** glibc allows a billion rounds; a row with that many would hold a worker for minutes. */
    static final int MAX_ROUNDS = 5_000_000;
    private static final Pattern FORMAT = Pattern.compile("\\$([56])\\$(?:rounds=([0-9]{1,10})\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]+");

    private final String id;

    private ShaCrypt(String id) {
        this.id = id;
    }

    static ShaCrypt sha256() {
        return new ShaCrypt("5");
    }

    static ShaCrypt sha512() {
        return new ShaCrypt("6");
    }

    @Override
    public boolean matches(byte[] password, String encoded) throws PasswordSchemeException {
        Matcher m = FORMAT.matcher(encoded);
        if (!m.matches() || !m.group(1).equals(id)) {
            throw new PasswordSchemeException("malformed $" + id + "$ crypt hash");
        }
        if (m.group(2) != null && Long.parseLong(m.group(2)) > MAX_ROUNDS) {
            throw new PasswordSchemeException("$" + id + "$ crypt hash with more than " + MAX_ROUNDS + " rounds");
        }
        // Sha2Crypt reads the "$id$rounds=N$salt" prefix of the stored value as its salt.
        return MessageDigest.isEqual(crypt(password, encoded).getBytes(StandardCharsets.US_ASCII),
                encoded.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String encode(byte[] password) {
        return crypt(password, "$" + id + "$" + Salts.cryptSalt(16));
    }

    private String crypt(byte[] password, String salt) {
        return id.equals("5") ? Sha2Crypt.sha256Crypt(password, salt) : Sha2Crypt.sha512Crypt(password, salt);
    }
}

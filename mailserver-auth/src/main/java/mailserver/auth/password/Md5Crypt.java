package mailserver.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * {@code $1$} crypt, Dovecot's MD5-CRYPT (also what its {@code {MD5}} means). Weak; verified
 * because old PostfixAdmin installs are full of it, never written by default.
 */
final class Md5Crypt implements PasswordScheme {

    private static final Pattern FORMAT = Pattern.compile("\\$1\\$[./0-9A-Za-z]{0,8}\\$[./0-9A-Za-z]{22}");

    @Override
    public boolean matches(byte[] password, String encoded) throws PasswordSchemeException {
        if (!FORMAT.matcher(encoded).matches()) {
            throw new PasswordSchemeException("malformed $1$ crypt hash");
        }
        String computed = org.apache.commons.codec.digest.Md5Crypt.md5Crypt(password, encoded);
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                encoded.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String encode(byte[] password) {
        return org.apache.commons.codec.digest.Md5Crypt.md5Crypt(password, "$1$" + Salts.cryptSalt(8));
    }
}

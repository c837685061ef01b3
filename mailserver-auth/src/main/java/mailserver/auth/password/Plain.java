package mailserver.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** PLAIN / CLEARTEXT: the password itself. For tests and migrations only. */
final class Plain implements PasswordScheme {

    @Override
    public boolean matches(byte[] password, String encoded) {
        return MessageDigest.isEqual(password, encoded.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String encode(byte[] password) {
        return new String(password, StandardCharsets.UTF_8);
    }
}

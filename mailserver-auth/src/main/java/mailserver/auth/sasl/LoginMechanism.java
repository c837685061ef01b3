package mailserver.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The LOGIN mechanism (draft-murchison-sasl-login): the server asks {@code Username:}, then
 * {@code Password:}. Not in any RFC, but Outlook and many phones still use it. A user name
 * sent as the initial response skips the first challenge.
 */
final class LoginMechanism implements Mechanism {

    private static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);

    private String username;
    private Credentials credentials;

    @Override
    public byte[] firstChallenge() {
        return USERNAME.clone();
    }

    @Override
    public byte[] evaluate(byte[] response) throws SaslException {
        if (username == null) {
            username = Utf8Text.identity(response, 0, response.length);
            return PASSWORD.clone();
        }
        if (indexOfNul(response) >= 0) {
            throw new SaslException(SaslException.Reason.MALFORMED, "NUL in the password");
        }
        credentials = new Credentials(username, Utf8Text.password(response, 0, response.length));
        Arrays.fill(response, (byte) 0);
        return null;
    }

    @Override
    public SaslStep result() {
        return new SaslStep.Complete(credentials);
    }

    private static int indexOfNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}

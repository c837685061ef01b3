package mailserver.auth.sasl;

import java.util.Arrays;

/**
 * RFC 4616 PLAIN: one response {@code [authzid] NUL authcid NUL passwd}. An authorization
 * identity other than the authentication identity is refused: accepting it would let one user
 * act as another (the maddy CVE-2023-27582 class), and this server has no admin proxy logins.
 */
final class PlainMechanism implements Mechanism {

    private static final byte NUL = 0;

    private Credentials credentials;

    @Override
    public byte[] firstChallenge() {
        return new byte[0];
    }

    @Override
    public byte[] evaluate(byte[] response) throws SaslException {
        int first = indexOf(response, 0);
        int second = first < 0 ? -1 : indexOf(response, first + 1);
        if (second < 0 || indexOf(response, second + 1) >= 0) {
            throw new SaslException(SaslException.Reason.MALFORMED, "PLAIN needs authzid NUL authcid NUL password");
        }
        String authcid = Utf8Text.identity(response, first + 1, second);
        if (first > 0) {
            String authzid = Utf8Text.identity(response, 0, first);
            if (!authzid.equals(authcid)) {
                throw new SaslException(SaslException.Reason.AUTHZID_MISMATCH,
                        "Authorization identity must be the authentication identity");
            }
        }
        credentials = new Credentials(authcid, Utf8Text.password(response, second + 1, response.length));
        Arrays.fill(response, (byte) 0);
        return null;
    }

    @Override
    public SaslStep result() {
        return new SaslStep.Complete(credentials);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == NUL) {
                return i;
            }
        }
        return -1;
    }
}

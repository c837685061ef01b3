package mailserver.imap.session;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The client's side of AUTHENTICATE PLAIN (RFC 4616) or LOGIN, up to the point where user name
 * and password are known; the {@link Authenticator} checks them.
 */
final class SaslExchange {

    static final String PLAIN = "PLAIN";
    static final String LOGIN = "LOGIN";

    /** The exchange failed; the message is the text of the tagged NO or BAD. */
    static final class Failure extends Exception {
        private final boolean bad;

        Failure(boolean bad, String message) {
            super(message, null, false, false);
            this.bad = bad;
        }

        boolean bad() {
            return bad;
        }
    }

    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + "]";
        }
    }

    private final String mechanism;
    private String username;
    private Credentials credentials;

    SaslExchange(String mechanism) {
        this.mechanism = mechanism;
    }

    static boolean supports(String mechanism) {
        return PLAIN.equals(mechanism) || LOGIN.equals(mechanism);
    }

    /** @return the base64 challenge to send after {@code +}, or null when the credentials are complete */
    String begin(String initialResponse) throws Failure {
        if (initialResponse == null) {
            return PLAIN.equals(mechanism) ? "" : base64("Username:");
        }
        return respond(initialResponse);
    }

    /** One response line from the client. */
    String respond(String line) throws Failure {
        if (line.equals("*")) {
            throw new Failure(true, "AUTHENTICATE cancelled");
        }
        String text = decode(line);
        if (PLAIN.equals(mechanism)) {
            credentials = plain(text);
            return null;
        }
        if (username == null) {
            username = text;
            return base64("Password:");
        }
        credentials = new Credentials(username, text);
        return null;
    }

    Credentials credentials() {
        return credentials;
    }

    /**
     * {@code authzid NUL authcid NUL passwd}. An authorization identity other than the
     * authentication identity is refused: nothing here lets one user act as another.
     */
    private static Credentials plain(String text) throws Failure {
        String[] parts = text.split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            throw new Failure(true, "Malformed PLAIN response");
        }
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            throw new Failure(false, "Authorization identity must be the authentication identity");
        }
        return new Credentials(parts[1], parts[2]);
    }

    private static String decode(String base64) throws Failure {
        if (base64.equals("=")) {
            return "";
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new Failure(true, "Response is not base64 of UTF-8");
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}

package mailserver.smtp.session;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import mailserver.smtp.reply.Reply;

/**
 * The client's side of one AUTH PLAIN (RFC 4616) or AUTH LOGIN exchange, up to the point where
 * user name and password are known. Checking them is the {@link Authenticator}'s job.
 */
final class SaslExchange {

    static final String PLAIN = "PLAIN";
    static final String LOGIN = "LOGIN";

    private static final Reply USERNAME_CHALLENGE = Reply.plain(334, "VXNlcm5hbWU6");
    private static final Reply PASSWORD_CHALLENGE = Reply.plain(334, "UGFzc3dvcmQ6");
    private static final Reply EMPTY_CHALLENGE = Reply.plain(334, "");

    /** What the client proved it knows. */
    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + "]";
        }
    }

    /** The exchange ends here with this reply (cancelled, undecodable, not allowed). */
    static final class Refusal extends Exception {
        private final transient Reply reply;

        Refusal(Reply reply) {
            super(reply.summary(), null, false, false);
            this.reply = reply;
        }

        Reply reply() {
            return reply;
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

    /** @return the challenge to send, or empty when {@link #credentials()} are complete */
    Optional<Reply> begin(Optional<String> initialResponse) throws Refusal {
        if (initialResponse.isEmpty()) {
            return Optional.of(PLAIN.equals(mechanism) ? EMPTY_CHALLENGE : USERNAME_CHALLENGE);
        }
        return respond(initialResponse.get());
    }

    /** One response line from the client. */
    Optional<Reply> respond(String line) throws Refusal {
        if (line.equals("*")) {
            throw new Refusal(Reply.of(501, "5.0.0", "Authentication cancelled"));
        }
        String text = decode(line);
        if (PLAIN.equals(mechanism)) {
            credentials = plain(text);
            return Optional.empty();
        }
        if (username == null) {
            username = text;
            return Optional.of(PASSWORD_CHALLENGE);
        }
        credentials = new Credentials(username, text);
        return Optional.empty();
    }

    Credentials credentials() {
        return credentials;
    }

    /**
     * {@code authzid NUL authcid NUL passwd}. An authorization identity other than the
     * authentication identity is refused: accepting it would let one user act as another
     * (the maddy CVE-2023-27582 class), and no client of this server needs it.
     */
    private static Credentials plain(String text) throws Refusal {
        String[] parts = text.split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new Refusal(Reply.of(501, "5.5.2", "Malformed PLAIN response"));
        }
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            throw new Refusal(Reply.of(535, "5.7.8", "Authorization identity must be the authentication identity"));
        }
        return new Credentials(parts[1], parts[2]);
    }

    private static String decode(String base64) throws Refusal {
        if (base64.equals("=")) {
            return "";
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new Refusal(Reply.of(501, "5.5.2", "Cannot decode response"));
        }
    }
}

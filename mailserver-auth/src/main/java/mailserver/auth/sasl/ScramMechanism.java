package mailserver.auth.sasl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

import mailserver.auth.AuthService;
import mailserver.auth.ScramAttempt;
import mailserver.auth.password.ScramCredentials;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: client-first, server-first with
 * the account's salt and iteration count, client-final with the proof, then server-final with
 * the server's signature, which the client answers with an empty response. The gs2 header must
 * be {@code n} or {@code y} (the client can bind but we announced no -PLUS); {@code p=} is
 * refused. An authorization identity must equal the user name, as with PLAIN.
 */
final class ScramMechanism implements Mechanism {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SERVER_NONCE_BYTES = 18;

    private enum State { CLIENT_FIRST, CLIENT_FINAL, ACKNOWLEDGE, DONE }

    private final ScramContext context;
    private final Supplier<String> serverNonce;
    private State state = State.CLIENT_FIRST;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramAttempt attempt;
    private AuthService.Result result;

    ScramMechanism(ScramContext context) {
        this(context, ScramMechanism::randomNonce);
    }

    /** With a given server nonce part, for RFC 7677's test vector. */
    ScramMechanism(ScramContext context, Supplier<String> serverNonce) {
        this.context = context;
        this.serverNonce = serverNonce;
    }

    private static String randomNonce() {
        byte[] random = new byte[SERVER_NONCE_BYTES];
        RANDOM.nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    @Override
    public byte[] firstChallenge() {
        return new byte[0];
    }

    @Override
    public byte[] evaluate(byte[] response) throws SaslException {
        return switch (state) {
            case CLIENT_FIRST -> clientFirst(text(response));
            case CLIENT_FINAL -> clientFinal(text(response));
            case ACKNOWLEDGE -> acknowledge(response);
            case DONE -> throw new IllegalStateException("the SCRAM exchange is over");
        };
    }

    @Override
    public SaslStep result() {
        return new SaslStep.Verified(result);
    }

    private byte[] clientFirst(String message) throws SaslException {
        int authzidEnd = message.indexOf(',', 2);
        if (message.startsWith("p=")) {
            throw malformed("channel binding is not supported");
        }
        if (!(message.startsWith("n,") || message.startsWith("y,")) || authzidEnd < 0) {
            throw malformed("client-first-message must start with the gs2 header n,, or y,,");
        }
        gs2Header = message.substring(0, authzidEnd + 1);
        clientFirstBare = message.substring(authzidEnd + 1);
        String[] attributes = clientFirstBare.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw malformed(attributes.length > 0 && attributes[0].startsWith("m=")
                    ? "mandatory extensions are not supported" : "client-first-message must be n=user,r=nonce");
        }
        String username = saslName(attributes[0].substring(2));
        String authzid = message.substring(2, authzidEnd);
        if (!authzid.isEmpty() && !(authzid.startsWith("a=") && saslName(authzid.substring(2)).equals(username))) {
            throw new SaslException(SaslException.Reason.AUTHZID_MISMATCH, "Authorization identity must be the authentication identity");
        }
        String clientNonce = attributes[1].substring(2);
        if (!printable(clientNonce)) {
            throw malformed("the client nonce must be printable characters other than a comma");
        }
        nonce = clientNonce + serverNonce.get();
        attempt = context.auth().scramAttempt(username);
        ScramCredentials credentials = attempt.credentials();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt()) + ",i=" + credentials.iterations();
        state = State.CLIENT_FINAL;
        return serverFirst.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] clientFinal(String message) throws SaslException {
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw malformed("client-final-message has no proof");
        }
        String withoutProof = message.substring(0, proofAt);
        String[] attributes = withoutProof.split(",", -1);
        String binding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (attributes.length < 2 || !attributes[0].equals("c=" + binding)) {
            throw malformed("client-final-message must start with c=" + binding);
        }
        if (!attributes[1].equals("r=" + nonce)) {
            throw malformed("the nonce is not the one this exchange uses");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw malformed("the proof is not base64");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        result = context.auth().authenticate(attempt, credentials -> proves(proof, credentials, authMessage),
                context.client(), context.protocol());
        if (!result.success()) {
            state = State.DONE;
            return null;
        }
        state = State.ACKNOWLEDGE;
        byte[] signature = ScramCredentials.hmac(attempt.credentials().serverKey(), authMessage);
        return ("v=" + Base64.getEncoder().encodeToString(signature)).getBytes(StandardCharsets.US_ASCII);
    }

    /** The client's empty answer to server-final, which IMAP and SMTP need to end the exchange. */
    private byte[] acknowledge(byte[] response) throws SaslException {
        if (response.length != 0) {
            throw malformed("the answer to server-final-message must be empty");
        }
        state = State.DONE;
        return null;
    }

    /** ClientKey = proof XOR HMAC(StoredKey, AuthMessage); it proves the password when H(ClientKey) is StoredKey. */
    private static boolean proves(byte[] proof, ScramCredentials credentials, byte[] authMessage) {
        byte[] storedKey = credentials.storedKey();
        byte[] clientKey = ScramCredentials.hmac(storedKey, authMessage);
        if (proof.length != clientKey.length) {
            return false;
        }
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= proof[i];
        }
        return MessageDigest.isEqual(ScramCredentials.sha256(clientKey), storedKey);
    }

    /** RFC 5802's saslname: {@code =2C} is a comma, {@code =3D} an equals sign, any other {@code =} is an error. */
    private static String saslName(String encoded) throws SaslException {
        byte[] bytes = encoded.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '=') {
                out.write(bytes[i]);
            } else if (i + 2 < bytes.length && bytes[i + 1] == '2' && bytes[i + 2] == 'C') {
                out.write(',');
                i += 2;
            } else if (i + 2 < bytes.length && bytes[i + 1] == '3' && bytes[i + 2] == 'D') {
                out.write('=');
                i += 2;
            } else {
                throw malformed("a user name may contain = only as =2C or =3D");
            }
        }
        byte[] decoded = out.toByteArray();
        return Utf8Text.identity(decoded, 0, decoded.length);
    }

    private static boolean printable(String nonce) {
        if (nonce.isEmpty()) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ',') {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] response) throws SaslException {
        if (response.length == 0) {
            throw malformed("empty SCRAM message");
        }
        return Utf8Text.text(response);
    }

    private static SaslException malformed(String why) {
        return new SaslException(SaslException.Reason.MALFORMED, "Invalid SCRAM message: " + why);
    }
}

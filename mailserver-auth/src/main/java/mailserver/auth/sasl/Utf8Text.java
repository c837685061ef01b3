package mailserver.auth.sasl;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding of identities and passwords, with their length limits. */
final class Utf8Text {

    /** An address has at most 254 octets (RFC 5321); a little room for non-address user names. */
    static final int MAX_IDENTITY_BYTES = 320;
    static final int MAX_PASSWORD_BYTES = 1024;

    private Utf8Text() {
    }

    /** A non-empty identity without control characters. */
    static String identity(byte[] bytes, int from, int to) throws SaslException {
        if (to - from > MAX_IDENTITY_BYTES) {
            throw new SaslException(SaslException.Reason.TOO_LONG, "User name longer than " + MAX_IDENTITY_BYTES + " bytes");
        }
        CharBuffer text = decode(bytes, from, to);
        if (text.length() == 0) {
            throw new SaslException(SaslException.Reason.MALFORMED, "Empty user name");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < 0x20 || text.charAt(i) == 0x7f) {
                throw new SaslException(SaslException.Reason.MALFORMED, "Control character in the user name");
            }
        }
        return text.toString();
    }

    /** A non-empty password; it is kept in a char array so the caller can wipe it. */
    static char[] password(byte[] bytes, int from, int to) throws SaslException {
        if (to - from > MAX_PASSWORD_BYTES) {
            throw new SaslException(SaslException.Reason.TOO_LONG, "Password longer than " + MAX_PASSWORD_BYTES + " bytes");
        }
        if (to == from) {
            throw new SaslException(SaslException.Reason.MALFORMED, "Empty password");
        }
        CharBuffer text = decode(bytes, from, to);
        char[] password = new char[text.remaining()];
        text.get(password);
        return password;
    }

    /** A whole message of a mechanism that speaks text (SCRAM); the response size limit already bounds it. */
    static String text(byte[] bytes) throws SaslException {
        return decode(bytes, 0, bytes.length).toString();
    }

    private static CharBuffer decode(byte[] bytes, int from, int to) throws SaslException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, from, to - from));
        } catch (CharacterCodingException e) {
            throw new SaslException(SaslException.Reason.MALFORMED, "Not UTF-8");
        }
    }
}

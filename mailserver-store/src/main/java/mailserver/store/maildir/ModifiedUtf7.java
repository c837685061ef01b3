package mailserver.store.maildir;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * IMAP's modified UTF-7 (RFC 3501 section 5.1.3), the encoding Dovecot uses for folder names on
 * disk and in the {@code subscriptions} file.
 */
public final class ModifiedUtf7 {

    private ModifiedUtf7() {
    }

    public static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                i++;
            } else {
                int end = i;
                while (end < text.length() && (text.charAt(end) < 0x20 || text.charAt(end) > 0x7e)) {
                    end++;
                }
                byte[] utf16 = text.substring(i, end).getBytes(StandardCharsets.UTF_16BE);
                String b64 = Base64.getEncoder().withoutPadding().encodeToString(utf16).replace('/', ',');
                out.append('&').append(b64).append('-');
                i = end;
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException when {@code encoded} is not valid modified UTF-7 */
    public static String decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("character 0x" + Integer.toHexString(c) + " must be encoded");
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = encoded.indexOf('-', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated '&' shift at offset " + i);
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                out.append(decodeShifted(encoded.substring(i + 1, end)));
            }
            i = end + 1;
        }
        return out.toString();
    }

    private static String decodeShifted(String b64) {
        byte[] utf16;
        try {
            utf16 = Base64.getDecoder().decode(b64.replace(',', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in shifted sequence '" + b64 + "'");
        }
        if (utf16.length % 2 != 0) {
            throw new IllegalArgumentException("shifted sequence '" + b64 + "' is not whole UTF-16 units");
        }
        String text;
        try {
            text = StandardCharsets.UTF_16BE.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf16)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("shifted sequence '" + b64 + "' is not valid UTF-16");
        }
        if (!encode(text).equals("&" + b64 + "-")) {
            // Non-canonical forms would let two spellings name one folder.
            throw new IllegalArgumentException("shifted sequence '" + b64 + "' is not in canonical form");
        }
        return text;
    }
}

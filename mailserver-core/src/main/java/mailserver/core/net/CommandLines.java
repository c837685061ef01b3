package mailserver.core.net;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns a line framed by {@link LineDecoder} into the text of a protocol command. */
public final class CommandLines {

    private CommandLines() {
    }

    /**
     * The line without CRLF (or a bare LF, which commands may end with), strictly as UTF-8:
     * a byte sequence that is not UTF-8 is the client's error to be told about, never text
     * silently replaced with U+FFFD.
     */
    public static String decode(byte[] line) throws CharacterCodingException {
        int end = line.length;
        if (end > 0 && line[end - 1] == '\n') {
            end--;
            if (end > 0 && line[end - 1] == '\r') {
                end--;
            }
        }
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(line, 0, end))
                .toString();
    }
}

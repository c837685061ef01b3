package mailserver.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a small UTF-8 text file (the config itself, a secret) with a size cap and plain-words errors. */
final class TextFiles {

    private TextFiles() {
    }

    static String read(Path file, int maxBytes) throws InvalidValueException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (NoSuchFileException e) {
            throw new InvalidValueException("no such file: " + file);
        } catch (AccessDeniedException e) {
            throw new InvalidValueException("permission denied reading " + file);
        } catch (IOException e) {
            throw new InvalidValueException("cannot read " + file + ": " + e.getMessage());
        }
        if (bytes.length > maxBytes) {
            throw new InvalidValueException(file + " is larger than " + maxBytes + " bytes; is it the right file?");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InvalidValueException(file + " is not UTF-8 text");
        }
    }
}

package mailserver.smtp.checks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What the checks read from and do to a spooled message file, always streaming. */
final class MessageFile {

    private static final int BUFFER_BYTES = 64 * 1024;
    /** A From or Authentication-Results field is read up to this much; no real one comes close. */
    static final int MAX_FIELD_BYTES = 64 * 1024;

    private MessageFile() {
    }

    /** The unfolded values of every field named {@code name} (any case), in order; each cut at {@link #MAX_FIELD_BYTES}. */
    static List<String> fieldValues(Path message, String name) throws IOException {
        List<String> values = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), BUFFER_BYTES)) {
            while (!HeaderLines.atEnd(in)) {
                if (HeaderLines.fieldName(in).equalsIgnoreCase(name)) {
                    BoundedBuffer field = new BoundedBuffer(MAX_FIELD_BYTES);
                    HeaderLines.copyField(in, field);
                    values.add(value(field.toByteArray()));
                } else {
                    HeaderLines.copyField(in, OutputStream.nullOutputStream());
                }
            }
        }
        return values;
    }

    /** A field's text after the colon, unfolded; UTF-8 as RFC 6532 allows, bad bytes replaced. */
    static String value(byte[] field) {
        String text = new String(field, StandardCharsets.UTF_8);
        return text.substring(text.indexOf(':') + 1).replaceAll("\r?\n(?=[ \t])", "").replaceAll("\r?\n$", "");
    }

    /**
     * Rewrites the message in place: {@code fields} go right under the first field (our
     * Received header), and every Authentication-Results field that {@code forged} accepts is
     * left out, as is one too long to read. Written to a new file in the same folder, then
     * renamed over the old one.
     *
     * @param fields whole header fields, each ending in CRLF
     * @return how many Authentication-Results fields were removed
     */
    static int rewrite(Path message, String fields, Predicate<String> forged) throws IOException {
        Path rewritten = Files.createTempFile(message.getParent(), "checked-", ".eml");
        int removed = 0;
        try {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(message), BUFFER_BYTES);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(rewritten), BUFFER_BYTES)) {
                HeaderLines.copyField(in, out);
                out.write(fields.getBytes(StandardCharsets.UTF_8));
                while (!HeaderLines.atEnd(in)) {
                    if (HeaderLines.fieldName(in).equals("authentication-results")) {
                        BoundedBuffer field = new BoundedBuffer(MAX_FIELD_BYTES);
                        HeaderLines.copyField(in, field);
                        if (field.overflowed() || forged.test(value(field.toByteArray()))) {
                            removed++;
                        } else {
                            field.writeTo(out);
                        }
                    } else {
                        HeaderLines.copyField(in, out);
                    }
                }
                in.transferTo(out);
            }
            Files.move(rewritten, message, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(rewritten);
            throw e;
        }
        return removed;
    }
}

package mailserver.store.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Maildir++ quota, {@code maildirsize}: the first line states the limits ({@code <bytes>S,<count>C}),
 * every other line is a change {@code <bytes> <count>} appended by whoever delivered or expunged.
 * The sum of the changes is the usage. As the Maildir++ rules say, the file is recalculated from
 * the folders when it is missing, malformed, larger than {@value #RECALCULATE_ABOVE} bytes or
 * states other limits.
 */
public final class MaildirSizeFile {

    public static final String NAME = "maildirsize";
    static final int RECALCULATE_ABOVE = 5120;

    /** What the file says: its limits and the summed usage. */
    public record Contents(long maxBytes, long maxMessages, long bytes, long messages) {
    }

    private final Path path;

    public MaildirSizeFile(Path accountDirectory) {
        this.path = accountDirectory.resolve(NAME);
    }

    public Path path() {
        return path;
    }

    /** @return null when the file must be recalculated */
    public Contents read() throws IOException {
        List<String> lines;
        try {
            if (Files.size(path) > RECALCULATE_ABOVE) {
                return null;
            }
            lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (lines.isEmpty()) {
            return null;
        }
        long maxBytes = 0;
        long maxMessages = 0;
        for (String part : lines.get(0).split(",")) {
            if (part.endsWith("S")) {
                maxBytes = parse(part.substring(0, part.length() - 1));
            } else if (part.endsWith("C")) {
                maxMessages = parse(part.substring(0, part.length() - 1));
            }
            if (maxBytes < 0 || maxMessages < 0) {
                return null;
            }
        }
        long bytes = 0;
        long messages = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.strip().split(" +");
            if (fields.length != 2) {
                return null;
            }
            try {
                bytes += Long.parseLong(fields[0]);
                messages += Long.parseLong(fields[1]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new Contents(maxBytes, maxMessages, bytes, messages);
    }

    /** Writes a fresh file with the limits and one line for the usage (tmp file, then rename). */
    public void rewrite(long maxBytes, long maxMessages, long bytes, long messages) throws IOException {
        String limits = maxBytes == 0 && maxMessages == 0 ? "0S,0C"
                : String.join(",", java.util.stream.Stream.of(
                        maxBytes > 0 ? maxBytes + "S" : null, maxMessages > 0 ? maxMessages + "C" : null)
                        .filter(java.util.Objects::nonNull).toList());
        Path tmp = path.resolveSibling(NAME + ".tmp" + ProcessHandle.current().pid() + "." + Thread.currentThread().getId());
        Files.writeString(tmp, limits + "\n" + bytes + " " + messages + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Records a change; one small O_APPEND write, so concurrent writers do not interleave. */
    public void append(long bytes, long messages) throws IOException {
        byte[] line = (bytes + " " + messages + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line));
        } catch (NoSuchFileException e) {
            // recalculated on next read
        }
    }

    private static long parse(String digits) {
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

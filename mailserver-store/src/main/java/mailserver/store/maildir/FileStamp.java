package mailserver.store.maildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What tells us a file or directory changed without reading it: identity (a rename replaces
 * the inode), size (an append grows it) and modification time.
 */
public record FileStamp(String fileKey, long size, long modifiedNanos) {

    /** File systems keep times in coarse ticks; anything younger than this may change unseen. */
    static final long SETTLE_MILLIS = 2000;

    /** @return null when the file does not exist */
    public static FileStamp of(Path path) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new FileStamp(String.valueOf(a.fileKey()), a.size(), nanos(a));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether a change made in the same clock tick as {@code whenSeenMillis} could share this stamp. */
    public boolean settledAt(long whenSeenMillis) {
        return whenSeenMillis - modifiedNanos / 1_000_000 > SETTLE_MILLIS;
    }

    static long nanos(BasicFileAttributes a) {
        java.time.Instant t = a.lastModifiedTime().toInstant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

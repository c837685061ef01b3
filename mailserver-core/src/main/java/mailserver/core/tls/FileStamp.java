package mailserver.core.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a poll remembers of a file to notice it was replaced. The real path and the file key
 * (device + inode) catch certbot's symlink swaps and atomic renames, size and mtime catch
 * rewrites in place. A file that cannot be read has the stamp {@link #MISSING}.
 */
record FileStamp(Path realPath, Object fileKey, long size, FileTime modified) {

    static final FileStamp MISSING = new FileStamp(null, null, -1, null);

    static FileStamp of(Path file) {
        try {
            Path real = file.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            return new FileStamp(real, attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
        } catch (IOException e) {
            return MISSING;
        }
    }
}

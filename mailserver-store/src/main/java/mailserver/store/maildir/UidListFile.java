package mailserver.store.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A folder's {@code dovecot-uidlist}: read it, lock it, append to it, rewrite it. */
public final class UidListFile {

    public static final String NAME = "dovecot-uidlist";
    private static final Logger LOG = LoggerFactory.getLogger(UidListFile.class);
    /** Far above any real folder (100 bytes per message); a bigger file is not a uidlist. */
    private static final long MAX_BYTES = 1L << 30;

    private final Path path;
    private final String host;

    public UidListFile(Path folderDirectory, String host) {
        this.path = folderDirectory.resolve(NAME);
        this.host = host;
    }

    public Path path() {
        return path;
    }

    public DotLock lock() throws IOException {
        return DotLock.acquire(path, host);
    }

    public FileStamp stamp() throws IOException {
        return FileStamp.of(path);
    }

    /**
     * @return the parsed file, or null when it is missing or unusable: the caller then starts a
     *         new UIDVALIDITY, which makes clients resynchronise but loses no message
     */
    public UidListParser.Result read() throws IOException {
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                LOG.warn("{} is larger than {} bytes; starting a new UIDVALIDITY", path, MAX_BYTES);
                return null;
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            return UidListParser.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (UidListParser.BadUidListException e) {
            LOG.warn("{} is unusable ({}); starting a new UIDVALIDITY", path, e.getMessage());
            return null;
        }
    }

    /** Appends records as Dovecot does, leaving the header's next UID to be corrected by readers. */
    public void append(DotLock held, List<UidList.Record> records) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (UidList.Record r : records) {
            lines.append(r.line()).append('\n');
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(false);
        }
    }

    /** @return the stamp of the new file */
    public FileStamp rewrite(DotLock held, UidList uidList) throws IOException {
        return held.replace(uidList.format().getBytes(StandardCharsets.UTF_8));
    }
}

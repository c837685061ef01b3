package mailserver.store.index;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import mailserver.store.maildir.FileStamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our per-folder cache, {@code mailserver.index}: every message's UID, file name, sizes, date and
 * modseq, plus the stamps of {@code dovecot-uidlist}, {@code cur/} and {@code new/} at the time it
 * was written. When the stamps still match, opening the folder needs no directory listing and no
 * stat per file. It is only a cache: a missing, truncated, corrupt (CRC-checked) or foreign file
 * reads as null and the folder is rebuilt from the Maildir. The name has no leading dot, so
 * Dovecot never mistakes it for a folder, and Dovecot ignores it.
 */
public final class FolderIndex {

    public static final String NAME = "mailserver.index";
    private static final int MAGIC = 0x4d534958; // "MSIX"
    private static final int VERSION = 1;
    private static final int MAX_MESSAGES = 10_000_000;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 16;
    private static final Logger LOG = LoggerFactory.getLogger(FolderIndex.class);

    /**
     * A stamp that was too fresh when recorded ({@link FileStamp#settledAt}) is stored as null,
     * which never matches, so the next open lists the directory again.
     */
    public record Contents(long uidValidity, long nextUid, String guid, long highestModseq,
                           FileStamp uidList, FileStamp cur, FileStamp newDir, List<IndexedMessage> messages) {
    }

    private FolderIndex() {
    }

    /** @return null when there is no usable index */
    public static Contents read(Path folderDirectory) {
        Path file = folderDirectory.resolve(NAME);
        try {
            if (Files.size(file) > MAX_BYTES) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 12) {
                throw new IOException("truncated");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            long stored = new DataInputStream(new ByteArrayInputStream(bytes, bytes.length - 8, 8)).readLong();
            if (stored != crc.getValue()) {
                throw new IOException("checksum mismatch");
            }
            return decode(new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.info("index {} is unusable ({}); rebuilding from the Maildir", file, e.toString());
            return null;
        }
    }

    /** Writes a new index beside the old one and renames it into place; no fsync, it is a cache. */
    public static void write(Path folderDirectory, Contents contents) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(128 + contents.messages().size() * 96);
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(contents.uidValidity());
        out.writeLong(contents.nextUid());
        out.writeUTF(contents.guid());
        out.writeLong(contents.highestModseq());
        writeStamp(out, contents.uidList());
        writeStamp(out, contents.cur());
        writeStamp(out, contents.newDir());
        out.writeInt(contents.messages().size());
        for (IndexedMessage m : contents.messages()) {
            out.writeLong(m.uid());
            out.writeUTF(m.base());
            out.writeUTF(m.fileName().substring(m.base().length()));
            out.writeBoolean(m.inNew());
            out.writeLong(m.modseq());
            out.writeLong(m.physicalSize());
            out.writeLong(m.virtualSize());
            out.writeLong(m.internalDate());
        }
        out.flush();
        CRC32 crc = new CRC32();
        byte[] body = buffer.toByteArray();
        crc.update(body);
        out.writeLong(crc.getValue());
        out.flush();
        Path tmp = folderDirectory.resolve(NAME + ".tmp" + ProcessHandle.current().pid() + "." + Thread.currentThread().getId());
        Files.write(tmp, buffer.toByteArray());
        Files.move(tmp, folderDirectory.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Contents decode(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("not an index of this version");
        }
        long uidValidity = in.readLong();
        long nextUid = in.readLong();
        String guid = in.readUTF();
        long highestModseq = in.readLong();
        FileStamp uidList = readStamp(in);
        FileStamp cur = readStamp(in);
        FileStamp newDir = readStamp(in);
        int count = in.readInt();
        if (count < 0 || count > MAX_MESSAGES) {
            throw new IOException("bad message count " + count);
        }
        List<IndexedMessage> messages = new ArrayList<>(count);
        long lastUid = 0;
        for (int i = 0; i < count; i++) {
            long uid = in.readLong();
            String base = in.readUTF();
            String fileName = base + in.readUTF();
            IndexedMessage m = new IndexedMessage(uid, base, fileName, in.readBoolean(), in.readLong(),
                    in.readLong(), in.readLong(), in.readLong());
            if (uid <= lastUid || uid >= nextUid) {
                throw new IOException("UIDs out of order at entry " + i);
            }
            lastUid = uid;
            messages.add(m);
        }
        return new Contents(uidValidity, nextUid, guid, highestModseq, uidList, cur, newDir, messages);
    }

    private static void writeStamp(DataOutputStream out, FileStamp stamp) throws IOException {
        out.writeBoolean(stamp != null);
        if (stamp != null) {
            out.writeUTF(stamp.fileKey());
            out.writeLong(stamp.size());
            out.writeLong(stamp.modifiedNanos());
        }
    }

    private static FileStamp readStamp(DataInputStream in) throws IOException {
        return in.readBoolean() ? new FileStamp(in.readUTF(), in.readLong(), in.readLong()) : null;
    }
}

package mailserver.store.maildir;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

/**
 * A Dovecot-style dotlock: the file {@code <target>.lock} created exclusively, holding
 * {@code <pid>:<host>}. Whoever holds it may rewrite the target by writing the new contents
 * into the lock file and renaming it over the target, as Dovecot's {@code file_dotlock_replace}
 * does. A lock left behind by a dead process on this host is broken at once; any other lock
 * is broken when it has not changed for the stale timeout (Dovecot uses two minutes for the
 * uidlist).
 */
public final class DotLock implements Closeable {

    public static final Duration STALE_AFTER = Duration.ofMinutes(2);
    public static final Duration WAIT_AT_MOST = Duration.ofMinutes(3);

    private final Path target;
    private final Path lockFile;
    private boolean held = true;

    private DotLock(Path target, Path lockFile) {
        this.target = target;
        this.lockFile = lockFile;
    }

    public static DotLock acquire(Path target, String host) throws IOException {
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        byte[] owner = (ProcessHandle.current().pid() + ":" + host).getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        long pauseMillis = 2;
        while (true) {
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(owner));
                return new DotLock(target, lockFile);
            } catch (FileAlreadyExistsException busy) {
                if (breakIfStale(lockFile, host)) {
                    continue;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out waiting for " + lockFile);
            }
            sleep(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 100);
        }
    }

    /**
     * Makes {@code content} the target's new contents, durably, and releases the lock.
     *
     * @return the new file's stamp, taken while it was still ours (a rename keeps it)
     */
    public FileStamp replace(byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        FileStamp stamp = FileStamp.of(lockFile);
        Files.move(lockFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        held = false;
        Durability.fsyncDirectory(target.getParent());
        return stamp;
    }

    @Override
    public void close() throws IOException {
        if (held) {
            held = false;
            Files.deleteIfExists(lockFile);
        }
    }

    private static boolean breakIfStale(Path lockFile, String host) throws IOException {
        FileTime modified;
        String owner;
        try {
            modified = Files.getLastModifiedTime(lockFile);
            owner = Files.size(lockFile) < 300 ? Files.readString(lockFile, StandardCharsets.ISO_8859_1) : "";
        } catch (NoSuchFileException gone) {
            return true;
        }
        boolean ownerDead = ownerIsDeadHere(owner, host);
        boolean old = System.currentTimeMillis() - modified.toMillis() > STALE_AFTER.toMillis();
        if (ownerDead || old) {
            Files.deleteIfExists(lockFile);
            return true;
        }
        return false;
    }

    private static boolean ownerIsDeadHere(String owner, String host) {
        int colon = owner.indexOf(':');
        if (colon <= 0 || !owner.substring(colon + 1).strip().equals(host)) {
            return false;
        }
        try {
            long pid = Long.parseLong(owner.substring(0, colon));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a dotlock", e);
        }
    }
}

package mailserver.smtp.queue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import mailserver.store.maildir.Durability;

/**
 * The entries of the outbound queue folder as the scheduler and {@code mailserver queue} see
 * them (the layout is in docs/smtp.md). Envelopes are rewritten atomically (a new file in
 * {@code tmp/}, fsync, rename over the old one, fsync of the folder), so a crash leaves the old
 * or the new envelope, never a torn one. Every change to an entry happens under {@link #locked},
 * which excludes the server and a {@code mailserver queue} command alike: a byte-range lock
 * of the {@code lock} file per entry (striped), plus an in-process lock, as one JVM may not hold
 * two overlapping file locks.
 */
public final class QueueStore {

    private static final Pattern QUEUE_ID = Pattern.compile("[0-9A-Za-z]{1,64}");
    private static final int STRIPES = 256;
    private static final Map<Path, ReentrantLock[]> PROCESS_LOCKS = new ConcurrentHashMap<>();

    /** Makes {@code id} due at once; a file per entry, or {@link #FLUSH_ALL} for every entry. */
    private static final String FLUSH_ALL = "flush-all";

    private final Path dir;
    private final Path tmpDir;
    private final Path triggerDir;
    private final Path lockFile;
    private final ReentrantLock[] processLocks;

    public QueueStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir).toAbsolutePath().normalize();
        this.tmpDir = Files.createDirectories(this.dir.resolve("tmp"));
        this.triggerDir = Files.createDirectories(this.dir.resolve("trigger"));
        this.lockFile = this.dir.resolve("lock");
        this.processLocks = PROCESS_LOCKS.computeIfAbsent(this.dir, d -> {
            ReentrantLock[] locks = new ReentrantLock[STRIPES];
            for (int i = 0; i < STRIPES; i++) {
                locks[i] = new ReentrantLock();
            }
            return locks;
        });
    }

    public Path directory() {
        return dir;
    }

    /** A scratch folder on the same file system, e.g. for a DSN being composed. */
    public Path tmpDirectory() {
        return tmpDir;
    }

    /** Ids of the complete entries (those with an envelope), in name order, i.e. oldest first. */
    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - ".json".length());
                if (QUEUE_ID.matcher(id).matches()) {
                    ids.add(id);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    public boolean isQueueId(String id) {
        return QUEUE_ID.matcher(id).matches();
    }

    /** The envelope of {@code id}, or empty when there is no such entry (any more). */
    public Optional<QueueEnvelope> read(String id) throws IOException {
        try {
            return Optional.of(QueueFormat.decode(Files.readAllBytes(envelopeFile(id))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public Path messageFile(String id) {
        return dir.resolve(checked(id) + ".eml");
    }

    /** Replaces the envelope of an existing entry; call under {@link #locked}. */
    public void write(QueueEnvelope envelope) throws IOException {
        String id = envelope.queueId();
        Path tmp = tmpDir.resolve(checked(id) + ".rewrite");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            try (InputStream in = new ByteArrayInputStream(QueueFormat.encode(envelope))) {
                in.transferTo(Channels.newOutputStream(channel));
            }
            channel.force(true);
        }
        Files.move(tmp, envelopeFile(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Durability.fsyncDirectory(dir);
    }

    /**
     * Deletes an entry: the envelope first (then the entry is gone), then the message. Call
     * under {@link #locked}. Returns false when there was no such entry.
     */
    public boolean remove(String id) throws IOException {
        boolean existed = Files.deleteIfExists(envelopeFile(id));
        Files.deleteIfExists(messageFile(id));
        Durability.fsyncDirectory(dir);
        return existed;
    }

    /**
     * Deletes messages without an envelope: writes a crash cut short, never acknowledged. Only
     * while no {@link QueueWriter} writes, i.e. before the listeners start.
     */
    public List<String> removeIncomplete() throws IOException {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.eml")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!Files.exists(dir.resolve(name.substring(0, name.length() - ".eml".length()) + ".json"))) {
                    Files.deleteIfExists(f);
                    removed.add(name);
                }
            }
        }
        return removed;
    }

    /** Runs {@code action} holding the lock of entry {@code id}, against this process and others. */
    public <T> T locked(String id, IoAction<T> action) throws IOException {
        int stripe = Math.floorMod(checked(id).hashCode(), STRIPES);
        ReentrantLock processLock = processLocks[stripe];
        processLock.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock fileLock = channel.lock(stripe, 1, false)) {
            return action.run();
        } finally {
            processLock.unlock();
        }
    }

    /** Asks the scheduler to try {@code id} now, or every entry when empty. */
    public void requestFlush(Optional<String> id) throws IOException {
        Path trigger = triggerDir.resolve(id.map(QueueStore::checked).orElse(FLUSH_ALL));
        Files.write(trigger, new byte[0]);
    }

    /** The flush requests made since the last call, removed: entry ids, or {@code null} in the list for "all". */
    public List<String> takeFlushRequests() throws IOException {
        List<String> requests = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(triggerDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                Files.deleteIfExists(f);
                if (name.equals(FLUSH_ALL)) {
                    requests.add(null);
                } else if (QUEUE_ID.matcher(name).matches()) {
                    requests.add(name);
                }
            }
        }
        return requests;
    }

    private Path envelopeFile(String id) {
        return dir.resolve(checked(id) + ".json");
    }

    private static String checked(String id) {
        if (!QUEUE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a queue id: " + id);
        }
        return id;
    }

    /** Work on the queue folder that may fail with an IOException. */
    @FunctionalInterface
    public interface IoAction<T> {
        T run() throws IOException;
    }
}

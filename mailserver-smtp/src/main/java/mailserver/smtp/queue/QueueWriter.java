package mailserver.smtp.queue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

import mailserver.store.maildir.Durability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts messages into the outbound queue ({@code data-dir/queue}) so that a crash at any moment
 * leaves either a complete entry or none that looks complete:
 * <ol>
 * <li>message and envelope are written into {@code tmp/} and each fsync'd;</li>
 * <li>the message is renamed to {@code <id>.eml} and the queue folder fsync'd;</li>
 * <li>the envelope is renamed to {@code <id>.json} and the queue folder fsync'd again.</li>
 * </ol>
 * An entry exists once its {@code .json} does; a {@code .eml} without one is a write that a
 * crash cut short, never acknowledged, which the scheduler deletes. Leftovers in {@code tmp/}
 * are deleted when a writer is created. Safe for concurrent use: every file name carries the
 * queue id, which is unique.
 */
public final class QueueWriter {

    private static final Logger log = LoggerFactory.getLogger(QueueWriter.class);
    /** Queue ids come from this server, but they become file names: allow nothing that could leave the folder. */
    private static final Pattern QUEUE_ID = Pattern.compile("[0-9A-Za-z]{1,64}");

    private final Path queueDir;
    private final Path tmpDir;
    private final Runnable onEnqueued;

    /** Creates {@code queueDir} and its {@code tmp/} if needed and empties {@code tmp/}. */
    public QueueWriter(Path queueDir) throws IOException {
        this(queueDir, () -> { });
    }

    /** @param onEnqueued called after each entry is complete, e.g. {@link QueueScheduler#wake} */
    public QueueWriter(Path queueDir, Runnable onEnqueued) throws IOException {
        this.onEnqueued = onEnqueued;
        this.queueDir = Files.createDirectories(queueDir);
        this.tmpDir = Files.createDirectories(queueDir.resolve("tmp"));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmpDir)) {
            for (Path leftover : leftovers) {
                log.info("removing {}, left over from a queue write cut short", leftover);
                Files.deleteIfExists(leftover);
            }
        }
    }

    public Path directory() {
        return queueDir;
    }

    /**
     * Queues {@code message} (copied as it is) under {@code envelope.queueId()}; durable when this
     * returns. Fails if an entry with that id exists already.
     */
    public void enqueue(QueueEnvelope envelope, InputStream message) throws IOException {
        String id = envelope.queueId();
        if (!QUEUE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("queue id unfit for a file name: " + id);
        }
        Path messageFile = queueDir.resolve(id + ".eml");
        Path envelopeFile = queueDir.resolve(id + ".json");
        if (Files.exists(envelopeFile) || Files.exists(messageFile)) {
            throw new FileAlreadyExistsException(envelopeFile.toString(), null, "queue entry " + id + " exists already");
        }
        Path tmpMessage = tmpDir.resolve(id + ".eml");
        Path tmpEnvelope = tmpDir.resolve(id + ".json");
        try {
            writeDurably(tmpMessage, message);
            writeDurably(tmpEnvelope, new ByteArrayInputStream(QueueFormat.encode(envelope)));
            Files.move(tmpMessage, messageFile, StandardCopyOption.ATOMIC_MOVE);
            Durability.fsyncDirectory(queueDir);
            Files.move(tmpEnvelope, envelopeFile, StandardCopyOption.ATOMIC_MOVE);
            Durability.fsyncDirectory(queueDir);
        } catch (IOException | RuntimeException e) {
            // Not acknowledged, so the client will send it again: no part of it may stay behind.
            for (Path part : new Path[] {envelopeFile, messageFile, tmpEnvelope, tmpMessage}) {
                Files.deleteIfExists(part);
            }
            throw e;
        }
        onEnqueued.run();
    }

    private static void writeDurably(Path file, InputStream content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            content.transferTo(Channels.newOutputStream(channel));
            channel.force(true);
        }
    }
}

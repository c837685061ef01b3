package mailserver.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import mailserver.store.maildir.MaildirFileName;
import mailserver.store.maildir.MaildirSizeFile;

/**
 * An account's quota: limits from the directory, usage from {@code maildirsize}, recalculated
 * from the folders when that file must be. Like every Maildir++ implementation it checks before
 * writing and records after, so concurrent deliveries may overshoot by what is in flight.
 */
final class AccountQuota {

    private final Path root;
    private final MaildirSizeFile file;
    private volatile Quota limits;

    AccountQuota(Path root, Quota limits) {
        this.root = root;
        this.file = new MaildirSizeFile(root);
        this.limits = limits;
    }

    void limits(Quota newLimits) {
        this.limits = newLimits;
    }

    synchronized QuotaUsage usage() throws IOException {
        Quota l = limits;
        MaildirSizeFile.Contents contents = file.read();
        if (contents == null || contents.maxBytes() != l.maxBytes() || contents.maxMessages() != l.maxMessages()) {
            long[] counted = count();
            file.rewrite(l.maxBytes(), l.maxMessages(), counted[0], counted[1]);
            return new QuotaUsage(counted[0], counted[1], l);
        }
        return new QuotaUsage(Math.max(0, contents.bytes()), Math.max(0, contents.messages()), l);
    }

    /** Records {@code messages} new messages of {@code bytes} in all, or refuses them. */
    void reserve(long bytes, long messages) throws IOException {
        Quota l = limits;
        if (l.maxBytes() > 0 || l.maxMessages() > 0) {
            QuotaUsage used = usage();
            if (l.maxBytes() > 0 && used.bytes() + bytes > l.maxBytes()) {
                throw new QuotaExceededException("quota exceeded: " + used.bytes() + " + " + bytes + " bytes > " + l.maxBytes());
            }
            if (l.maxMessages() > 0 && used.messages() + messages > l.maxMessages()) {
                throw new QuotaExceededException("quota exceeded: " + used.messages() + " + " + messages + " messages > " + l.maxMessages());
            }
        }
        record(bytes, messages);
    }

    /** Whole folders went away: the file's sums are wrong now, so the next read recalculates. */
    synchronized void usageChanged() throws IOException {
        Files.deleteIfExists(file.path());
    }

    void release(long bytes, long messages) throws IOException {
        record(-bytes, -messages);
    }

    private synchronized void record(long bytes, long messages) throws IOException {
        if (Files.exists(file.path())) {
            file.append(bytes, messages);
        }
    }

    /** Sums every message file of every folder; sizes come from {@code ,S=} when the name has it. */
    private long[] count() throws IOException {
        long[] total = new long[2];
        countFolder(root, total);
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, p -> p.getFileName().toString().startsWith(".")
                && Files.isDirectory(p))) {
            for (Path folder : folders) {
                countFolder(folder, total);
            }
        }
        return total;
    }

    private static void countFolder(Path folder, long[] total) throws IOException {
        for (String sub : new String[] {"cur", "new"}) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder.resolve(sub))) {
                for (Path f : files) {
                    MaildirFileName name = MaildirFileName.parse(f.getFileName().toString());
                    if (name == null) {
                        continue;
                    }
                    try {
                        total[0] += name.size().isPresent() ? name.size().getAsLong() : Files.size(f);
                        total[1]++;
                    } catch (NoSuchFileException gone) {
                        // expunged while we counted
                    }
                }
            } catch (NoSuchFileException noDirectory) {
                // a folder without cur/ or new/ holds no messages
            }
        }
    }
}

package mailserver.store.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The account's {@code subscriptions} in Dovecot 2.3's format: {@code V\t2}, an empty line,
 * then one name per line in modified UTF-7 with a tab between hierarchy levels.
 * Version 1 files (plain names) are read too.
 */
public final class SubscriptionsFile {

    public static final String NAME = "subscriptions";
    static final int MAX_BYTES = 4 << 20;
    private static final String HEADER = "V\t2";

    private final Path path;
    private final String host;

    public SubscriptionsFile(Path accountDirectory, String host) {
        this.path = accountDirectory.resolve(NAME);
        this.host = host;
    }

    public Set<FolderName> read() throws IOException {
        Set<FolderName> names = new LinkedHashSet<>();
        List<String> lines;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new IOException(path + " is larger than " + MAX_BYTES + " bytes");
            }
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return names;
        }
        boolean v2 = !lines.isEmpty() && lines.get(0).equals(HEADER);
        for (String line : v2 ? lines.subList(1, lines.size()) : lines) {
            String onDisk = v2 ? line.replace('\t', FolderName.DELIMITER) : line;
            if (onDisk.isEmpty()) {
                continue;
            }
            try {
                names.add(new FolderName(ModifiedUtf7.decode(onDisk)));
            } catch (IllegalArgumentException e) {
                // a line we cannot decode names no folder we can show; keep the rest
            }
        }
        return names;
    }

    public void update(FolderName name, boolean subscribed) throws IOException {
        try (DotLock lock = DotLock.acquire(path, host)) {
            Set<FolderName> names = read();
            boolean changed = subscribed ? names.add(name) : names.remove(name);
            if (changed) {
                StringBuilder out = new StringBuilder(HEADER).append("\n\n");
                for (FolderName n : names) {
                    out.append(String.join("\t", n.levels().stream().map(ModifiedUtf7::encode).toList())).append('\n');
                }
                lock.replace(out.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}

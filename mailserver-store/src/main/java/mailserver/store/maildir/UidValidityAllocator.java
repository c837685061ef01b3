package mailserver.store.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Gives each new folder of an account a distinct UIDVALIDITY the way Dovecot does: the account's
 * {@code dovecot-uidvalidity} holds the last value in hex and an empty marker file
 * {@code dovecot-uidvalidity.<hex>} is created exclusively to claim a value, so two processes
 * never hand out the same one. A value is never below the current time in seconds, so a
 * recreated folder always gets a larger UIDVALIDITY than before.
 */
public final class UidValidityAllocator {

    public static final String NAME = "dovecot-uidvalidity";

    private final Path file;

    public UidValidityAllocator(Path accountDirectory) {
        this.file = accountDirectory.resolve(NAME);
    }

    public synchronized long next() throws IOException {
        long last = readLast();
        long candidate = Math.max(System.currentTimeMillis() / 1000, last + 1) & 0xffffffffL;
        for (int attempt = 0; attempt < 1000; attempt++, candidate = (candidate + 1) & 0xffffffffL) {
            if (candidate == 0) {
                continue;
            }
            Path marker = file.resolveSibling(NAME + "." + Long.toHexString(candidate));
            try {
                Files.createFile(marker);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            Path tmp = file.resolveSibling(NAME + ".tmp" + ProcessHandle.current().pid() + "." + Thread.currentThread().getId());
            Files.writeString(tmp, Long.toHexString(candidate), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (last > 0 && last != candidate) {
                Files.deleteIfExists(file.resolveSibling(NAME + "." + Long.toHexString(last)));
            }
            return candidate;
        }
        throw new IOException("could not claim a UIDVALIDITY in " + file.getParent());
    }

    private long readLast() throws IOException {
        try {
            String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return hex.isEmpty() || hex.length() > 8 ? 0 : Long.parseLong(hex, 16);
        } catch (NoSuchFileException | NumberFormatException e) {
            return 0;
        }
    }
}

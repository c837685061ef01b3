package mailserver.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import mailserver.store.maildir.UniqueNames;

/**
 * The process-wide entry point: opens accounts' Maildirs and keeps one {@link Mailbox} (and so
 * one state per folder) per account, so every session and delivery sees the others' changes.
 * Blocking file I/O throughout: call it from the worker pool, never from an event loop.
 */
public final class MailStore implements Closeable {

    static final int MAX_RELATIVE_PATH = 1024;

    private final String host;
    private final UniqueNames uniqueNames;
    private final Map<Path, Mailbox> accounts = new ConcurrentHashMap<>();

    public MailStore() {
        this(UniqueNames.hostName());
    }

    /** @param host the name in new message file names and dotlocks (this machine's name) */
    public MailStore(String host) {
        this.uniqueNames = new UniqueNames(host);
        this.host = uniqueNames.host();
    }

    /**
     * The account's Maildir from the directory's {@code maildir} column (PostfixAdmin style,
     * {@code example.test/alice/}), which must stay inside {@code maildirRoot}.
     */
    public static Path accountMaildir(Path maildirRoot, String relativeMaildir) throws StoreException {
        if (relativeMaildir == null || relativeMaildir.isBlank() || relativeMaildir.length() > MAX_RELATIVE_PATH) {
            throw invalid("empty or longer than " + MAX_RELATIVE_PATH + " characters");
        }
        for (char c : relativeMaildir.toCharArray()) {
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw invalid("control character or backslash");
            }
        }
        Path relative = Path.of(relativeMaildir);
        if (relative.isAbsolute()) {
            throw invalid("absolute path");
        }
        for (Path part : relative) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw invalid("'" + part + "' segment");
            }
        }
        Path root = maildirRoot.toAbsolutePath().normalize();
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw invalid("outside the Maildir root");
        }
        return resolved;
    }

    /** Where an account without a {@code maildir} column lives: {@code <root>/<domain>/<localpart>/}. */
    public static Path defaultAccountMaildir(Path maildirRoot, String domain, String localPart) throws StoreException {
        for (String part : new String[] {domain, localPart}) {
            if (part == null || part.isEmpty() || part.startsWith(".") || part.contains("/")) {
                throw invalid("bad domain or local part '" + part + "'");
            }
        }
        return accountMaildir(maildirRoot, domain.toLowerCase(Locale.ROOT) + "/" + localPart);
    }

    /**
     * Opens (creating if needed) an account's Maildir.
     *
     * @param quota the account's limits from the directory, applied from now on
     */
    public Mailbox open(Path accountMaildir, Quota quota) throws IOException {
        Path root = accountMaildir.toAbsolutePath().normalize();
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(root.resolve(sub));
        }
        Mailbox mailbox = accounts.computeIfAbsent(root, r -> new Mailbox(r, host, uniqueNames, quota));
        mailbox.limits(quota);
        return mailbox;
    }

    /** Saves every open folder's index, so the next start opens them without listing. */
    @Override
    public void close() {
        accounts.values().forEach(Mailbox::flush);
    }

    private static StoreException invalid(String why) {
        return new StoreException(StoreException.Reason.INVALID_NAME, "invalid maildir path: " + why);
    }
}

package mailserver.store.maildir;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A validated folder name and its Maildir++ directory. Names use {@link #DELIMITER} between
 * hierarchy levels, as Dovecot shows a Maildir++ tree by default; on disk {@code Parent.Child}
 * becomes the directory {@code .Parent.Child} with each level in modified UTF-7. INBOX is the
 * account's Maildir itself.
 *
 * <p>This is the one place where a client-supplied name turns into a path: a name that could
 * leave the account's Maildir (separators, control characters, empty levels, over-long) is refused.
 */
public record FolderName(String name) {

    public static final char DELIMITER = '.';
    public static final String INBOX = "INBOX";
    /** Longest directory name most file systems accept. */
    static final int MAX_DIRECTORY_BYTES = 255;

    public FolderName {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid folder name: " + problem);
        }
        if (name.equalsIgnoreCase(INBOX)) {
            name = INBOX;
        }
    }

    /** @return why {@code name} is not acceptable, or null when it is */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.length() > MAX_DIRECTORY_BYTES) {
            return "longer than " + MAX_DIRECTORY_BYTES + " characters";
        }
        if (name.charAt(0) == DELIMITER || name.charAt(name.length() - 1) == DELIMITER
                || name.indexOf("" + DELIMITER + DELIMITER) >= 0) {
            return "empty hierarchy level";
        }
        if (name.charAt(0) == '~') {
            return "starts with '~'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return "control character 0x" + Integer.toHexString(c);
            }
            if (c == '/' || c == '\\') {
                return "contains '" + c + "'";
            }
        }
        if (!new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(name)) {
            return "unpaired surrogate";
        }
        if (!isInbox(name) && directoryName(name).getBytes(StandardCharsets.UTF_8).length > MAX_DIRECTORY_BYTES) {
            return "encoded name longer than " + MAX_DIRECTORY_BYTES + " bytes";
        }
        return null;
    }

    /** Decodes a directory name found in the account root; null when it is not a folder of ours. */
    public static FolderName fromDirectory(String directoryName) {
        if (directoryName.length() < 2 || directoryName.charAt(0) != '.' || directoryName.equals("..")) {
            return null;
        }
        try {
            String decoded = ModifiedUtf7.decode(directoryName.substring(1));
            return problem(decoded) == null && !isInbox(decoded) ? new FolderName(decoded) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public boolean isInbox() {
        return name.equals(INBOX);
    }

    /** The directory relative to the account's Maildir: empty for INBOX, {@code .Name} otherwise. */
    public String directory() {
        return isInbox() ? "" : directoryName(name);
    }

    public List<String> levels() {
        return List.of(name.split("\\" + DELIMITER));
    }

    /** The names of all ancestors, outermost first ({@code A}, {@code A.B} for {@code A.B.C}). */
    public List<FolderName> ancestors() {
        List<String> levels = levels();
        return java.util.stream.IntStream.range(1, levels.size())
                .mapToObj(n -> new FolderName(String.join(String.valueOf(DELIMITER), levels.subList(0, n))))
                .toList();
    }

    public boolean isDescendantOf(FolderName other) {
        return name.startsWith(other.name + DELIMITER);
    }

    private static boolean isInbox(String name) {
        return name.toUpperCase(Locale.ROOT).equals(INBOX);
    }

    private static String directoryName(String name) {
        return "." + ModifiedUtf7.encode(name);
    }

    @Override
    public String toString() {
        return name;
    }
}

package mailserver.store.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A folder's {@code dovecot-keywords}: lines {@code <index> <keyword>}, index 0 to 25 standing
 * for the file name letters {@code a} to {@code z}. Not thread-safe: the folder serialises use.
 */
public final class KeywordsFile {

    public static final String NAME = "dovecot-keywords";
    public static final int MAX_KEYWORDS = 26;
    static final int MAX_KEYWORD_LENGTH = 200;

    private final Path path;
    private final String host;
    private final String[] byIndex = new String[MAX_KEYWORDS];
    private FileStamp loaded;
    private int generation;

    public KeywordsFile(Path folderDirectory, String host) {
        this.path = folderDirectory.resolve(NAME);
        this.host = host;
    }

    /** The keyword a file name letter stands for, or null for an unknown letter; call {@link #reloadIfChanged} first. */
    public String keyword(char letter) {
        int index = letter - 'a';
        return index >= 0 && index < MAX_KEYWORDS ? byIndex[index] : null;
    }

    /** @return the letter of a keyword the file already has, or 0; call {@link #reloadIfChanged} first */
    public char existingLetter(String keyword) {
        return find(keyword);
    }

    /** @return the letter for {@code keyword}, adding it to the file when new; 0 when all 26 are taken */
    public char letter(String keyword) throws IOException {
        reloadIfChanged();
        char known = find(keyword);
        if (known != 0) {
            return known;
        }
        try (DotLock lock = DotLock.acquire(path, host)) {
            loadNow();
            known = find(keyword);
            if (known != 0) {
                return known;
            }
            int free = Arrays.asList(byIndex).indexOf(null);
            if (free < 0) {
                return 0;
            }
            byIndex[free] = keyword;
            generation++;
            lock.replace(format().getBytes(StandardCharsets.UTF_8));
            loaded = FileStamp.of(path);
            return (char) ('a' + free);
        }
    }

    private char find(String keyword) {
        for (int i = 0; i < MAX_KEYWORDS; i++) {
            if (keyword.equals(byIndex[i])) {
                return (char) ('a' + i);
            }
        }
        return 0;
    }

    public void reloadIfChanged() throws IOException {
        FileStamp now = FileStamp.of(path);
        if (now == null ? loaded != null : !now.equals(loaded)) {
            loadNow();
        }
    }

    /** Changes whenever the letters are read or added to: flags decoded under another generation may be stale. */
    public int generation() {
        return generation;
    }

    private void loadNow() throws IOException {
        generation++;
        Arrays.fill(byIndex, null);
        loaded = FileStamp.of(path);
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        }
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space <= 0 || space > 2 || line.length() - space - 1 > MAX_KEYWORD_LENGTH) {
                continue;
            }
            try {
                int index = Integer.parseInt(line.substring(0, space));
                String keyword = line.substring(space + 1);
                if (index >= 0 && index < MAX_KEYWORDS && !keyword.isEmpty()) {
                    byIndex[index] = keyword;
                }
            } catch (NumberFormatException e) {
                // a line we cannot use names no letter; skip it as Dovecot does
            }
        }
    }

    private String format() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < MAX_KEYWORDS; i++) {
            if (byIndex[i] != null) {
                lines.add(i + " " + byIndex[i] + "\n");
            }
        }
        return String.join("", lines);
    }
}

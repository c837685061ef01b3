package mailserver.store.maildir;

import java.util.OptionalLong;

/**
 * A message file name as Dovecot writes it: {@code <base>:2,<flags>}, where the base carries
 * {@code ,S=<size>} (bytes on disk) and {@code ,W=<vsize>} (size with CRLF line ends), and the
 * flags are sorted letters: upper case for system flags, {@code a}-{@code z} for keywords.
 * The base is the message's identity in {@code dovecot-uidlist}; flag changes only rename.
 */
public record MaildirFileName(String base, String flagLetters) {

    /** Separates base and info; Dovecot's default on Unix. */
    public static final char INFO_SEPARATOR = ':';
    static final int MAX_LENGTH = 255;

    public MaildirFileName {
        if (base.isEmpty() || base.indexOf(INFO_SEPARATOR) >= 0 || base.indexOf('/') >= 0 || base.startsWith(".")) {
            throw new IllegalArgumentException("bad maildir base name '" + base + "'");
        }
    }

    /** @return null when {@code fileName} is not a message file (dot files, empty) */
    public static MaildirFileName parse(String fileName) {
        String base = baseOf(fileName);
        if (base == null) {
            return null;
        }
        int colon = base.length();
        if (colon == fileName.length()) {
            return new MaildirFileName(fileName, "");
        }
        String info = fileName.substring(colon + 1);
        // "2,<flags>" is the only info version; anything else keeps no flags we understand.
        String letters = info.startsWith("2,") ? info.substring(2) : "";
        return new MaildirFileName(base, letters);
    }

    /** Just the base of a file name (no parsing of the flags); null when it is not a message file. */
    public static String baseOf(String fileName) {
        if (fileName.isEmpty() || fileName.charAt(0) == '.' || fileName.length() > MAX_LENGTH) {
            return null;
        }
        int colon = fileName.indexOf(INFO_SEPARATOR);
        if (colon == 0) {
            return null;
        }
        return colon < 0 ? fileName : fileName.substring(0, colon);
    }

    public static MaildirFileName of(String base, String flagLetters) {
        return new MaildirFileName(base, sortLetters(flagLetters));
    }

    public String fileName() {
        return flagLetters.isEmpty() ? base : base + INFO_SEPARATOR + "2," + flagLetters;
    }

    /** The name for a file in {@code cur/}, which always has the info part. */
    public String curFileName() {
        return base + INFO_SEPARATOR + "2," + flagLetters;
    }

    public MaildirFileName withFlags(String letters) {
        return new MaildirFileName(base, sortLetters(letters));
    }

    public OptionalLong size() {
        return field("S");
    }

    public OptionalLong virtualSize() {
        return field("W");
    }

    private OptionalLong field(String key) {
        String marker = "," + key + "=";
        int at = base.indexOf(marker);
        if (at < 0) {
            return OptionalLong.empty();
        }
        int start = at + marker.length();
        int end = start;
        while (end < base.length() && Character.isDigit(base.charAt(end)) && end - start < 18) {
            end++;
        }
        return end == start ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(base, start, end, 10));
    }

    private static String sortLetters(String letters) {
        return letters.chars().distinct().sorted()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}

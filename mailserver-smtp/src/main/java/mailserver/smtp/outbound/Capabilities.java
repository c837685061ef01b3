package mailserver.smtp.outbound;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a server offered in its EHLO reply (all false after HELO).
 *
 * @param maxSize        SIZE's limit in octets; 0 when it offered SIZE without a limit or did not offer it
 * @param authMechanisms upper case
 */
record Capabilities(boolean pipelining, boolean startTls, boolean eightBitMime, boolean smtpUtf8, boolean dsn,
                    boolean size, long maxSize, Set<String> authMechanisms) {

    static final Capabilities NONE = new Capabilities(false, false, false, false, false, false, 0, Set.of());

    static Capabilities of(RemoteReply ehlo) {
        boolean pipelining = false;
        boolean startTls = false;
        boolean eightBitMime = false;
        boolean smtpUtf8 = false;
        boolean dsn = false;
        boolean size = false;
        long maxSize = 0;
        Set<String> auth = new TreeSet<>();
        List<String> lines = ehlo.lines();
        // The first line is the server's name and greeting, not a keyword.
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] words = line.strip().split("\\s+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            switch (keyword) {
                case "PIPELINING" -> pipelining = true;
                case "STARTTLS" -> startTls = true;
                case "8BITMIME" -> eightBitMime = true;
                case "SMTPUTF8" -> smtpUtf8 = true;
                case "DSN" -> dsn = true;
                case "SIZE" -> {
                    size = true;
                    maxSize = words.length > 1 && words[1].matches("[0-9]{1,18}") ? Long.parseLong(words[1]) : 0;
                }
                case "AUTH" -> {
                    for (int i = 1; i < words.length; i++) {
                        auth.add(words[i].toUpperCase(Locale.ROOT));
                    }
                }
                default -> {
                    // An extension we do not use.
                }
            }
        }
        return new Capabilities(pipelining, startTls, eightBitMime, smtpUtf8, dsn, size, maxSize, Set.copyOf(auth));
    }
}

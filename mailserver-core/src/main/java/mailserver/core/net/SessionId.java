package mailserver.core.net;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Session ids: 10 base32 characters (50 random bits), short enough to read in a log line and
 * to grep for. They only correlate log lines, so they need not be unguessable.
 */
final class SessionId {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    static final int LENGTH = 10;

    private SessionId() {
    }

    static String next() {
        long bits = ThreadLocalRandom.current().nextLong();
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(id);
    }
}

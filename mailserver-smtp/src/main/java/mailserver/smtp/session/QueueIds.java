package mailserver.smtp.session;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes queue ids in the Postfix spirit: short, upper-case, one per transaction, never repeated
 * by this process and, since they grow with the clock, not after a restart either.
 */
public final class QueueIds {

    private static final AtomicLong LAST = new AtomicLong();

    private QueueIds() {
    }

    public static String next() {
        long now = System.currentTimeMillis() * 1000;
        long id = LAST.updateAndGet(previous -> Math.max(previous + 1, now));
        return Long.toString(id, 36).toUpperCase(Locale.ROOT);
    }
}

package mailserver.smtp.queue;

import java.time.Duration;
import java.time.Instant;

import mailserver.core.config.QueueConfig;

/**
 * When to try a deferred recipient again and when to give up, as Postfix's qmgr: the first
 * retry after {@code min-backoff}, each further wait twice as long, at most {@code max-backoff};
 * a message still queued {@code max-lifetime} after its arrival ({@code bounce-lifetime} for one
 * with the null sender) is returned.
 */
public record RetrySchedule(Duration minBackoff, Duration maxBackoff, Duration maxLifetime, Duration bounceLifetime) {

    public static RetrySchedule of(QueueConfig config) {
        return new RetrySchedule(config.minBackoff(), config.maxBackoff(), config.maxLifetime(), config.bounceLifetime());
    }

    /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
    public Duration backoff(int attempts) {
        Duration wait = minBackoff;
        for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** True once a message that arrived at {@code arrival} has been queued for too long. */
    public boolean expired(Instant arrival, boolean nullSender, Instant now) {
        return !now.isBefore(arrival.plus(nullSender ? bounceLifetime : maxLifetime));
    }
}

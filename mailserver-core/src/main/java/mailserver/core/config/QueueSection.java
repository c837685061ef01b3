package mailserver.core.config;

import java.time.Duration;
import java.util.List;

/** {@code queue:} retries and concurrency of outbound delivery. */
final class QueueSection {

    static final String NAME = "queue";
    static final List<String> KEYS = List.of("min-backoff", "max-backoff", "max-lifetime", "bounce-lifetime",
            "destination-concurrency", "max-concurrency", "scan-interval", "delay-warning");

    /** Postfix: minimal_backoff_time 300s, maximal_backoff_time 4000s, maximal_queue_lifetime 5d. */
    static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMinutes(5);
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(1);
    static final Duration DEFAULT_MAX_LIFETIME = Duration.ofDays(5);
    static final Duration DEFAULT_BOUNCE_LIFETIME = Duration.ofDays(5);
    static final int DEFAULT_DESTINATION_CONCURRENCY = 20;
    static final int DEFAULT_MAX_CONCURRENCY = 100;
    static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofMinutes(1);
    /** Postfix: delay_warning_time 0h, no warnings. */
    static final Duration DEFAULT_DELAY_WARNING = Duration.ZERO;

    private QueueSection() {
    }

    static QueueConfig bind(Section root) {
        Section queue = root.section(NAME, KEYS);
        Duration minBackoff = positive(queue, "min-backoff", DEFAULT_MIN_BACKOFF);
        Duration maxBackoff = positive(queue, "max-backoff", DEFAULT_MAX_BACKOFF);
        if (maxBackoff.compareTo(minBackoff) < 0) {
            queue.problem("max-backoff", "must not be shorter than " + queue.keyPath("min-backoff"));
        }
        return new QueueConfig(
                minBackoff,
                maxBackoff,
                positive(queue, "max-lifetime", DEFAULT_MAX_LIFETIME),
                positive(queue, "bounce-lifetime", DEFAULT_BOUNCE_LIFETIME),
                queue.integer("destination-concurrency", 1, 10_000).orElse(DEFAULT_DESTINATION_CONCURRENCY),
                queue.integer("max-concurrency", 1, 100_000).orElse(DEFAULT_MAX_CONCURRENCY),
                positive(queue, "scan-interval", DEFAULT_SCAN_INTERVAL),
                queue.value("delay-warning", Durations::parse).orElse(DEFAULT_DELAY_WARNING));
    }

    private static Duration positive(Section queue, String key, Duration fallback) {
        return queue.value(key, text -> {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                throw new InvalidValueException("must be longer than 0");
            }
            return d;
        }).orElse(fallback);
    }
}

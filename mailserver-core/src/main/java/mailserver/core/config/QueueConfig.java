package mailserver.core.config;

import java.time.Duration;

/**
 * {@code queue:} how the outbound queue retries and gives up (Postfix's qmgr settings).
 *
 * @param minBackoff             wait before the first retry; each further one waits twice as long (minimal_backoff_time)
 * @param maxBackoff             longest wait between two attempts (maximal_backoff_time)
 * @param maxLifetime            a message not delivered after this long is bounced (maximal_queue_lifetime)
 * @param bounceLifetime         the same for a message with the null sender, a bounce itself (bounce_queue_lifetime)
 * @param destinationConcurrency deliveries to one domain at once (default_destination_concurrency_limit)
 * @param maxConcurrency         deliveries at once in all
 * @param scanInterval           how often the queue folder is read again for entries the server was not told of
 * @param delayWarning           a recipient still deferred this long after arrival gets its sender one
 *                               {@code delayed} DSN; zero for none (delay_warning_time)
 */
public record QueueConfig(
        Duration minBackoff,
        Duration maxBackoff,
        Duration maxLifetime,
        Duration bounceLifetime,
        int destinationConcurrency,
        int maxConcurrency,
        Duration scanInterval,
        Duration delayWarning) {
}

package mailserver.smtp.queue;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Hands a delivery status notification to the server's own delivery, as if it had been
 * received with the null sender: a local recipient finds it in the INBOX, a remote one gets it
 * through the queue.
 */
public interface BounceInjector {

    /**
     * Durable when this returns; throws when any copy failed, and the scheduler tries again later.
     *
     * @param recipient the sender of the message the notification is about
     * @param message   the notification, CRLF line ends; only read, and only during the call
     * @param eightBit  the notification has 8-bit content (a returned 8-bit message)
     * @return the queue id the notification got, for the log
     */
    String inject(String recipient, Path message, boolean eightBit) throws IOException;
}

package mailserver.smtp.dkim;

import java.nio.file.Path;

import mailserver.smtp.session.Envelope;

/**
 * Signs a message on its way into the outbound queue: what it returns is put in front of the
 * message bytes, which are queued untouched, so the queued bytes are exactly the signed ones.
 * Called on a worker thread, once per queued message.
 */
@FunctionalInterface
public interface MessageSigner {

    /** Signs nothing. */
    MessageSigner NONE = (envelope, message) -> new byte[0];

    /**
     * Header fields to prepend, each ending in CRLF, or none. Never throws: a message that cannot
     * be signed is queued unsigned (and the reason logged), never lost or delayed.
     *
     * @param message the spooled message, CRLF line ends, our Received header on top
     */
    byte[] headerFields(Envelope envelope, Path message);
}

package mailserver.smtp.session;

import mailserver.core.mail.MailAddress;

/**
 * Whether an authenticated user may send as an address (its own mailbox or one of its aliases);
 * adapted from the directory. Called on a worker thread, may block; an unchecked exception gives
 * {@code 451 4.3.0}.
 */
public interface SenderOwnership {

    /** @param identity what {@link Authenticator#authenticate} returned */
    boolean mayUse(String identity, MailAddress sender);
}

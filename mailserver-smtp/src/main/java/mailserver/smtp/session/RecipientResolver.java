package mailserver.smtp.session;

import mailserver.core.mail.MailAddress;

/**
 * Decides what RCPT TO may accept; adapted from the directory. Called on a worker thread, so it
 * may block. An unchecked exception means "cannot tell now" and the client hears {@code 451 4.3.0}.
 */
public interface RecipientResolver {

    RecipientStatus resolve(MailAddress recipient);
}

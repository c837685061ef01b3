package mailserver.smtp.session;

import java.util.Objects;

import mailserver.core.mail.MailAddress;
import mailserver.smtp.command.RcptParameters;

/**
 * One accepted RCPT TO.
 *
 * @param address    as the client wrote it (canonical {@link MailAddress} form)
 * @param parameters its DSN parameters (NOTIFY, ORCPT), for the queue and later DSNs
 * @param local      true for a local domain (the directory resolves it further at delivery),
 *                   false for a relayed recipient bound for the outbound queue
 */
public record Recipient(MailAddress address, RcptParameters parameters, boolean local) {

    public Recipient {
        Objects.requireNonNull(address);
        Objects.requireNonNull(parameters);
    }
}

package mailserver.smtp.delivery;

import java.io.IOException;

import mailserver.auth.directory.AccountInfo;
import mailserver.auth.directory.Directory;
import mailserver.auth.directory.DirectoryException;
import mailserver.auth.directory.Resolution;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.session.RecipientResolver;
import mailserver.smtp.session.RecipientStatus;

/**
 * RCPT TO over the directory: accounts, aliases, alias domains and catch-alls are local; a
 * recipient is over quota when any account it leads to is full, so a sender retries later
 * instead of a half-delivered message being sent again to everyone else.
 */
final class DirectoryRecipients implements RecipientResolver {

    private final Directory directory;
    private final AccountMailboxes mailboxes;

    DirectoryRecipients(Directory directory, AccountMailboxes mailboxes) {
        this.directory = directory;
        this.mailboxes = mailboxes;
    }

    @Override
    public RecipientStatus resolve(MailAddress recipient) {
        Resolution resolution;
        try {
            resolution = directory.resolve(recipient);
        } catch (DirectoryException e) {
            throw new DirectoryUnavailableException("cannot resolve <" + recipient + ">: " + e.getMessage(), e);
        }
        return switch (resolution.status()) {
            case REMOTE -> RecipientStatus.NOT_LOCAL;
            case UNKNOWN_USER -> RecipientStatus.UNKNOWN_USER;
            case LOCAL -> anyFull(resolution) ? RecipientStatus.OVER_QUOTA : RecipientStatus.LOCAL;
        };
    }

    private boolean anyFull(Resolution resolution) {
        for (AccountInfo account : resolution.localAccounts()) {
            try {
                if (mailboxes.full(account)) {
                    return true;
                }
            } catch (IOException e) {
                throw new DirectoryUnavailableException("cannot read the quota of " + account.address() + ": " + e.getMessage(), e);
            }
        }
        return false;
    }
}

package mailserver.auth.directory;

import mailserver.core.mail.MailAddress;

/**
 * An account (PostfixAdmin "mailbox").
 *
 * @param maildir       relative to the storage root, PostfixAdmin style {@code <domain>/<localpart>/}
 * @param quotaBytes    0 means unlimited
 * @param quotaMessages 0 means unlimited
 */
public record AccountInfo(MailAddress address, String name, String maildir, long quotaBytes, long quotaMessages, boolean active) {
}

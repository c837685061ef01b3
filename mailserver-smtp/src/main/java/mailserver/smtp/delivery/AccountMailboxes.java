package mailserver.smtp.delivery;

import java.io.IOException;
import java.nio.file.Path;

import mailserver.auth.directory.AccountInfo;
import mailserver.store.MailStore;
import mailserver.store.Mailbox;
import mailserver.store.Quota;
import mailserver.store.QuotaUsage;

/** Where an account of the directory keeps its mail, opened through the store with the account's quota. */
final class AccountMailboxes {

    private final MailStore store;
    private final Path maildirRoot;

    AccountMailboxes(MailStore store, Path maildirRoot) {
        this.store = store;
        this.maildirRoot = maildirRoot;
    }

    Mailbox open(AccountInfo account) throws IOException {
        String relative = account.maildir();
        Path maildir = relative == null || relative.isBlank()
                ? MailStore.defaultAccountMaildir(maildirRoot, account.address().domain(), account.address().localPart())
                : MailStore.accountMaildir(maildirRoot, relative);
        return store.open(maildir, new Quota(account.quotaBytes(), account.quotaMessages()));
    }

    /** True when the account cannot take even one more byte or message. */
    boolean full(AccountInfo account) throws IOException {
        if (account.quotaBytes() <= 0 && account.quotaMessages() <= 0) {
            return false;
        }
        QuotaUsage usage = open(account).quotaUsage();
        return (account.quotaBytes() > 0 && usage.bytes() >= account.quotaBytes())
                || (account.quotaMessages() > 0 && usage.messages() >= account.quotaMessages());
    }
}

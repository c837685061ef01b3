package mailserver.pop3.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import mailserver.auth.directory.AccountInfo;
import mailserver.store.Folder;
import mailserver.store.MailStore;
import mailserver.store.Mailbox;
import mailserver.store.Quota;

/**
 * Opens an account's INBOX as a POP3 maildrop. With {@code lockSession} only one POP3 session
 * per mailbox is let in at a time (within this process); without it, as with Dovecot's default,
 * sessions share the mailbox and each sees its own snapshot. One instance for all POP3 listeners.
 */
public final class Maildrops {

    private final MailStore store;
    private final Path maildirRoot;
    private final boolean lockSession;
    private final Set<Path> locked = ConcurrentHashMap.newKeySet();

    public Maildrops(MailStore store, Path maildirRoot, boolean lockSession) {
        this.store = Objects.requireNonNull(store, "store");
        this.maildirRoot = Objects.requireNonNull(maildirRoot, "maildirRoot");
        this.lockSession = lockSession;
    }

    /** Takes the snapshot of the account's INBOX. Blocking: call it on a worker thread. */
    Maildrop open(AccountInfo account) throws IOException, MaildropInUseException {
        Path maildir = account.maildir() == null || account.maildir().isBlank()
                ? MailStore.defaultAccountMaildir(maildirRoot, account.address().domain(), account.address().localPart())
                : MailStore.accountMaildir(maildirRoot, account.maildir());
        Mailbox mailbox = store.open(maildir, new Quota(account.quotaBytes(), account.quotaMessages()));
        Runnable release = lock(mailbox.root());
        try {
            Folder inbox = mailbox.folder("INBOX");
            return new Maildrop(inbox, inbox.sync(), release);
        } catch (IOException | RuntimeException e) {
            release.run();
            throw e;
        }
    }

    private Runnable lock(Path mailbox) throws MaildropInUseException {
        if (!lockSession) {
            return () -> { };
        }
        if (!locked.add(mailbox)) {
            throw new MaildropInUseException();
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                locked.remove(mailbox);
            }
        };
    }
}

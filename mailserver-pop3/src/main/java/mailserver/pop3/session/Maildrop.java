package mailserver.pop3.session;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

import mailserver.store.FlagUpdate;
import mailserver.store.Flags;
import mailserver.store.Folder;
import mailserver.store.FolderSnapshot;
import mailserver.store.MessageRef;
import mailserver.store.SystemFlag;

/**
 * One POP3 session's view of INBOX (RFC 1939 5): the messages there at login, numbered from 1
 * in UID order, with the session's deletion marks. Messages delivered later are not seen;
 * messages expunged by another session (IMAP, a second POP3 login) fail when read. Nothing
 * changes on disk until {@link #commit()} (QUIT); a connection that just ends deletes nothing.
 * Used by one session at a time.
 */
final class Maildrop {

    private final Folder inbox;
    private final FolderSnapshot snapshot;
    private final Runnable release;
    private final BitSet deleted = new BitSet();
    /** Retrieved with RETR: marked \Seen at QUIT, as Dovecot does ({@code pop3_no_flag_updates = no}). */
    private final BitSet retrieved = new BitSet();

    Maildrop(Folder inbox, FolderSnapshot snapshot, Runnable release) {
        this.inbox = inbox;
        this.snapshot = snapshot;
        this.release = release;
    }

    /** Messages not marked deleted. */
    int count() {
        return snapshot.messages().size() - deleted.cardinality();
    }

    /** Octets of the messages not marked deleted. */
    long size() {
        long size = 0;
        for (int i = 0; i < snapshot.messages().size(); i++) {
            if (!deleted.get(i)) {
                size += snapshot.messages().get(i).size();
            }
        }
        return size;
    }

    /** The highest message number, deleted ones included. */
    int highest() {
        return snapshot.messages().size();
    }

    boolean exists(int number) {
        return number >= 1 && number <= highest();
    }

    boolean isDeleted(int number) {
        return deleted.get(number - 1);
    }

    long size(int number) {
        return ref(number).size();
    }

    /**
     * Dovecot's default {@code pop3_uidl_format = %08Xu%08Xv}: UID then UIDVALIDITY, eight hex
     * digits each. Dovecot's {@code %X} writes lower-case digits ({@code 000000016b0bd7d3}), and
     * clients compare UIDLs as strings, so so do we.
     */
    String uidl(int number) {
        return String.format(Locale.ROOT, "%08x%08x", ref(number).uid(), snapshot.uidValidity());
    }

    void delete(int number) {
        deleted.set(number - 1);
    }

    /** RSET: forgets the deletion marks, and the \Seen marks to come, as Dovecot does. */
    void reset() {
        deleted.clear();
        retrieved.clear();
    }

    /** The message in its CRLF form; {@code retr} remembers it for \Seen. Blocking. */
    InputStream open(int number, boolean retr) throws IOException {
        InputStream in = inbox.open(ref(number).uid());
        if (retr) {
            retrieved.set(number - 1);
        }
        return in;
    }

    /** QUIT in TRANSACTION (the UPDATE state): marks retrieved messages \Seen, removes deleted ones. Blocking. */
    List<Long> commit() throws IOException {
        List<Long> seen = new ArrayList<>();
        List<Long> expunge = new ArrayList<>();
        for (int i = 0; i < snapshot.messages().size(); i++) {
            MessageRef m = snapshot.messages().get(i);
            if (deleted.get(i)) {
                expunge.add(m.uid());
            } else if (retrieved.get(i) && !m.flags().contains(SystemFlag.SEEN)) {
                seen.add(m.uid());
            }
        }
        if (!seen.isEmpty()) {
            inbox.store(seen, FlagUpdate.ADD, Flags.of(SystemFlag.SEEN), -1);
        }
        return expunge.isEmpty() ? List.of() : inbox.expunge(expunge);
    }

    /** The session ended: lets another POP3 session in when sessions are locked. */
    void close() {
        release.run();
    }

    private MessageRef ref(int number) {
        return snapshot.messages().get(number - 1);
    }
}

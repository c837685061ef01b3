package mailserver.store;

import java.util.List;

/** A folder's state at one moment: what IMAP SELECT and POP3's maildrop need. Messages in UID order. */
public record FolderSnapshot(long uidValidity, long uidNext, long highestModseq, List<MessageRef> messages) {
    public FolderSnapshot {
        messages = List.copyOf(messages);
    }
}

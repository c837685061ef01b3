package mailserver.store;

import java.util.Arrays;
import java.util.List;

/**
 * A folder's state at one moment: what IMAP SELECT and POP3's maildrop need. Messages in UID order.
 * Immutable, and the same object for every caller until the folder changes, so all sessions on
 * a folder share one copy of its message list; UIDs and modseqs are also kept as arrays for
 * lookups by UID and for sessions to compare their own view with.
 */
public final class FolderSnapshot {

    private final long uidValidity;
    private final long uidNext;
    private final long highestModseq;
    private final List<MessageRef> messages;
    private final long[] uids;
    private final long[] modseqs;

    public FolderSnapshot(long uidValidity, long uidNext, long highestModseq, List<MessageRef> messages) {
        this.uidValidity = uidValidity;
        this.uidNext = uidNext;
        this.highestModseq = highestModseq;
        this.messages = List.copyOf(messages);
        this.uids = new long[this.messages.size()];
        this.modseqs = new long[uids.length];
        for (int i = 0; i < uids.length; i++) {
            uids[i] = this.messages.get(i).uid();
            modseqs[i] = this.messages.get(i).modseq();
        }
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long uidNext() {
        return uidNext;
    }

    public long highestModseq() {
        return highestModseq;
    }

    public List<MessageRef> messages() {
        return messages;
    }

    public int size() {
        return uids.length;
    }

    /** The UID of the message at {@code index} (0-based). */
    public long uidAt(int index) {
        return uids[index];
    }

    public long modseqAt(int index) {
        return modseqs[index];
    }

    /** The index of a UID, or a negative number when the folder has no such message. */
    public int indexOf(long uid) {
        return Arrays.binarySearch(uids, uid);
    }

    /** The message with this UID, or null. */
    public MessageRef byUid(long uid) {
        int i = indexOf(uid);
        return i >= 0 ? messages.get(i) : null;
    }
}

package mailserver.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import mailserver.imap.parse.SequenceSet;
import mailserver.imap.response.FlagsFormat;
import mailserver.imap.response.ResponseWriter;
import mailserver.store.Folder;
import mailserver.store.FolderSnapshot;
import mailserver.store.MessageRef;

/**
 * The selected mailbox as this client knows it: message sequence numbers, the UID and modseq
 * the client last heard for each. {@link #report} compares it with the folder's current state
 * and tells the client what changed: new messages (EXISTS), flag changes (FETCH), and removed
 * messages (EXPUNGE or VANISHED) only where the RFC allows them; until then a removed message
 * keeps its number and is skipped by FETCH, STORE and SEARCH.
 *
 * <p>Every session on a folder shares the folder's {@link FolderSnapshot}. While the client has
 * heard everything (the usual case, and always while it idles) its view simply is that snapshot;
 * only a client that has not yet been told of a change holds its own arrays, until it has.
 */
final class SelectedMailbox {

    final Folder folder;
    final boolean readOnly;
    private final long uidValidity;
    /** The latest state of the folder, refreshed by {@link #refresh()}. */
    private FolderSnapshot current;
    /** Non-null: the client's view is exactly this snapshot's messages and modseqs. */
    private FolderSnapshot sharedView;
    /** Otherwise the client's own view: the UID and the modseq it heard per message number. */
    private long[] uids;
    private long[] modseqs;
    private int count;

    SelectedMailbox(Folder folder, boolean readOnly, FolderSnapshot snapshot) {
        this.folder = folder;
        this.readOnly = readOnly;
        this.uidValidity = snapshot.uidValidity();
        this.current = snapshot;
        this.sharedView = snapshot;
    }

    /** Reads the folder's state (syncing with the disk); the view itself changes only in {@link #report}. */
    FolderSnapshot refresh() throws IOException {
        current = folder.sync();
        return current;
    }

    FolderSnapshot snapshot() {
        return current;
    }

    int count() {
        return sharedView != null ? sharedView.size() : count;
    }

    long uidAt(int seq) {
        return sharedView != null ? sharedView.uidAt(seq - 1) : uids[seq - 1];
    }

    /** The message at a sequence number as it is now, or null when it was removed meanwhile. */
    MessageRef message(int seq) {
        return current.byUid(uidAt(seq));
    }

    /** The client has now heard this modseq for the message (its own STORE, a FETCH with FLAGS). */
    void heard(int seq, long modseq) {
        if (sharedView != null && sharedView.modseqAt(seq - 1) == modseq) {
            return;
        }
        ownView();
        modseqs[seq - 1] = modseq;
    }

    /** The sequence number of a UID, or 0. */
    int seqOf(long uid) {
        int i = sharedView != null ? sharedView.indexOf(uid) : Arrays.binarySearch(uids, 0, count, uid);
        return i >= 0 ? i + 1 : 0;
    }

    /**
     * The sequence numbers a set names, ascending.
     *
     * @throws IndexOutOfBoundsException for a message number beyond the mailbox (a BAD for the client)
     */
    List<Integer> resolve(SequenceSet set, boolean byUid) {
        int n = count();
        List<Integer> seqs = new ArrayList<>();
        if (n == 0) {
            if (!byUid) {
                throw new IndexOutOfBoundsException("the mailbox is empty");
            }
            return seqs;
        }
        if (byUid) {
            long max = uidAt(n);
            for (int seq = 1; seq <= n; seq++) {
                if (set.contains(uidAt(seq), max)) {
                    seqs.add(seq);
                }
            }
            return seqs;
        }
        for (SequenceSet.Range r : set.ranges()) {
            if (r.high(n) > n) {
                throw new IndexOutOfBoundsException("no message " + r.high(n) + ", the mailbox has " + n);
            }
        }
        for (int seq = 1; seq <= n; seq++) {
            if (set.contains(seq, n)) {
                seqs.add(seq);
            }
        }
        return seqs;
    }

    /** UIDs of the given sequence numbers that still exist. */
    List<Long> existingUids(List<Integer> seqs) {
        List<Long> out = new ArrayList<>(seqs.size());
        for (int seq : seqs) {
            long uid = uidAt(seq);
            if (current.indexOf(uid) >= 0) {
                out.add(uid);
            }
        }
        return out;
    }

    /** The folder was recreated under us (its uidlist lost): nothing the client was told about it holds any more. */
    boolean uidValidityChanged() {
        return current.uidValidity() != uidValidity;
    }

    /**
     * Tells the client what changed since it last heard: flag changes as FETCH, removed messages
     * as EXPUNGE (or VANISHED with QRESYNC) when {@code expungeAllowed}, new messages as EXISTS.
     */
    void report(ResponseWriter out, boolean expungeAllowed, boolean qresync, boolean condstore, boolean withUid)
            throws IOException {
        if (sharedView == current) {
            return;
        }
        ownView();
        for (int i = 0; i < count; i++) {
            MessageRef m = current.byUid(uids[i]);
            if (m != null && m.modseq() != modseqs[i]) {
                out.raw("* ").number(i + 1).raw(" FETCH (");
                if (withUid || qresync) {
                    out.raw("UID ").number(m.uid()).sp();
                }
                out.raw("FLAGS ").raw(FlagsFormat.list(m.flags()));
                if (condstore) {
                    out.raw(" MODSEQ (").number(m.modseq()).raw(")");
                }
                out.raw(")").crlf();
                modseqs[i] = m.modseq();
            }
        }
        if (expungeAllowed) {
            expunge(out, qresync);
        }
        long lastUid = count == 0 ? 0 : uids[count - 1];
        int before = count;
        for (int i = 0; i < current.size(); i++) {
            if (current.uidAt(i) > lastUid) {
                append(current.uidAt(i), current.modseqAt(i));
            }
        }
        if (count != before) {
            out.raw("* ").number(count).raw(" EXISTS").crlf();
        }
        shareIfHeardAll();
    }

    private void expunge(ResponseWriter out, boolean qresync) throws IOException {
        List<Long> vanished = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (current.indexOf(uids[i]) >= 0) {
                uids[kept] = uids[i];
                modseqs[kept] = modseqs[i];
                kept++;
            } else if (qresync) {
                vanished.add(uids[i]);
            } else {
                // Each EXPUNGE renumbers the messages after it: kept is this message's number now.
                out.raw("* ").number(kept + 1).raw(" EXPUNGE").crlf();
            }
        }
        count = kept;
        if (!vanished.isEmpty()) {
            out.raw("* VANISHED ").raw(SequenceSet.compact(vanished)).crlf();
        }
    }

    private void append(long uid, long modseq) {
        if (count == uids.length) {
            uids = Arrays.copyOf(uids, Math.max(16, count * 2));
            modseqs = Arrays.copyOf(modseqs, uids.length);
        }
        uids[count] = uid;
        modseqs[count] = modseq;
        count++;
    }

    /** The client is about to differ from the shared snapshot: give it arrays of its own. */
    private void ownView() {
        if (sharedView == null) {
            return;
        }
        count = sharedView.size();
        uids = new long[count];
        modseqs = new long[count];
        for (int i = 0; i < count; i++) {
            uids[i] = sharedView.uidAt(i);
            modseqs[i] = sharedView.modseqAt(i);
        }
        sharedView = null;
    }

    /** When the client has heard all there is, its view is the folder's snapshot again and its arrays go. */
    private void shareIfHeardAll() {
        if (count != current.size()) {
            return;
        }
        for (int i = 0; i < count; i++) {
            if (uids[i] != current.uidAt(i) || modseqs[i] != current.modseqAt(i)) {
                return;
            }
        }
        sharedView = current;
        uids = null;
        modseqs = null;
        count = 0;
    }
}

package mailserver.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 */
final class SelectedMailbox {

    final Folder folder;
    final boolean readOnly;
    private final long uidValidity;
    private long[] uids;
    private long[] modseqs;
    private int count;
    /** The latest state, refreshed by {@link #refresh()}, by UID. */
    private Map<Long, MessageRef> current = Map.of();
    private FolderSnapshot snapshot;

    SelectedMailbox(Folder folder, boolean readOnly, FolderSnapshot snapshot) {
        this.folder = folder;
        this.readOnly = readOnly;
        this.uidValidity = snapshot.uidValidity();
        this.count = snapshot.messages().size();
        this.uids = new long[Math.max(16, count)];
        this.modseqs = new long[uids.length];
        for (int i = 0; i < count; i++) {
            MessageRef m = snapshot.messages().get(i);
            uids[i] = m.uid();
            modseqs[i] = m.modseq();
        }
        use(snapshot);
    }

    /** Reads the folder's state (syncing with the disk); the view itself changes only in {@link #report}. */
    FolderSnapshot refresh() throws IOException {
        use(folder.sync());
        return snapshot;
    }

    private void use(FolderSnapshot s) {
        snapshot = s;
        Map<Long, MessageRef> byUid = new HashMap<>(s.messages().size() * 2);
        for (MessageRef m : s.messages()) {
            byUid.put(m.uid(), m);
        }
        current = byUid;
    }

    FolderSnapshot snapshot() {
        return snapshot;
    }

    int count() {
        return count;
    }

    long uidAt(int seq) {
        return uids[seq - 1];
    }

    /** The message at a sequence number as it is now, or null when it was removed meanwhile. */
    MessageRef message(int seq) {
        return current.get(uids[seq - 1]);
    }

    /** The client has now heard this modseq for the message (its own STORE, a FETCH with FLAGS). */
    void heard(int seq, long modseq) {
        modseqs[seq - 1] = modseq;
    }

    /** The sequence number of a UID, or 0. */
    int seqOf(long uid) {
        int i = Arrays.binarySearch(uids, 0, count, uid);
        return i >= 0 ? i + 1 : 0;
    }

    /**
     * The sequence numbers a set names, ascending.
     *
     * @throws IndexOutOfBoundsException for a message number beyond the mailbox (a BAD for the client)
     */
    List<Integer> resolve(SequenceSet set, boolean byUid) {
        List<Integer> seqs = new ArrayList<>();
        if (count == 0) {
            if (!byUid) {
                throw new IndexOutOfBoundsException("the mailbox is empty");
            }
            return seqs;
        }
        if (byUid) {
            long max = uids[count - 1];
            for (int i = 0; i < count; i++) {
                if (set.contains(uids[i], max)) {
                    seqs.add(i + 1);
                }
            }
            return seqs;
        }
        for (SequenceSet.Range r : set.ranges()) {
            if (r.high(count) > count) {
                throw new IndexOutOfBoundsException("no message " + r.high(count) + ", the mailbox has " + count);
            }
        }
        for (int seq = 1; seq <= count; seq++) {
            if (set.contains(seq, count)) {
                seqs.add(seq);
            }
        }
        return seqs;
    }

    /** UIDs of the given sequence numbers that still exist. */
    List<Long> existingUids(List<Integer> seqs) {
        List<Long> out = new ArrayList<>(seqs.size());
        for (int seq : seqs) {
            if (current.containsKey(uids[seq - 1])) {
                out.add(uids[seq - 1]);
            }
        }
        return out;
    }

    /** The folder was recreated under us (its uidlist lost): nothing the client was told about it holds any more. */
    boolean uidValidityChanged() {
        return snapshot.uidValidity() != uidValidity;
    }

    /**
     * Tells the client what changed since it last heard: flag changes as FETCH, removed messages
     * as EXPUNGE (or VANISHED with QRESYNC) when {@code expungeAllowed}, new messages as EXISTS.
     */
    void report(ResponseWriter out, boolean expungeAllowed, boolean qresync, boolean condstore, boolean withUid)
            throws IOException {
        for (int i = 0; i < count; i++) {
            MessageRef m = current.get(uids[i]);
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
        for (MessageRef m : snapshot.messages()) {
            if (m.uid() > lastUid) {
                append(m);
            }
        }
        if (count != before) {
            out.raw("* ").number(count).raw(" EXISTS").crlf();
        }
    }

    private void expunge(ResponseWriter out, boolean qresync) throws IOException {
        List<Long> vanished = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (current.containsKey(uids[i])) {
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

    private void append(MessageRef m) {
        if (count == uids.length) {
            uids = Arrays.copyOf(uids, count * 2);
            modseqs = Arrays.copyOf(modseqs, count * 2);
        }
        uids[count] = m.uid();
        modseqs[count] = m.modseq();
        count++;
    }
}

package mailserver.imap.session;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import mailserver.imap.fetch.FetchFailure;
import mailserver.imap.fetch.FetchResponder;
import mailserver.imap.parse.Command;
import mailserver.imap.parse.FetchAttribute;
import mailserver.imap.parse.SearchKey;
import mailserver.imap.parse.SequenceSet;
import mailserver.imap.response.FlagsFormat;
import mailserver.imap.response.ResponseWriter;
import mailserver.store.CopyResult;
import mailserver.store.FlagUpdate;
import mailserver.store.Flags;
import mailserver.store.Folder;
import mailserver.store.FolderSnapshot;
import mailserver.store.Mailbox;
import mailserver.store.MessageRef;
import mailserver.store.StoreException;
import mailserver.store.StoreResult;
import mailserver.store.SystemFlag;

/**
 * The commands on messages of the selected mailbox: FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE,
 * UID EXPUNGE. Message numbers are the {@link SelectedMailbox}'s; messages removed by others and
 * not yet reported are skipped. Runs on a worker.
 */
final class MessageCommands {

    private final SelectedMailbox selected;
    private final ResponseWriter out;
    private final SessionOptions options;

    MessageCommands(SelectedMailbox selected, ResponseWriter out, SessionOptions options) {
        this.selected = selected;
        this.out = out;
        this.options = options;
    }

    Done fetch(Command.Fetch fetch) throws IOException {
        List<Integer> seqs = selected.resolve(fetch.set(), fetch.uid());
        if (fetch.changedSince() >= 0) {
            options.condstore = true;
        }
        if (fetch.vanished()) {
            vanishedEarlier(fetch.set());
        }
        Set<Long> seen = new HashSet<>();
        if (!selected.readOnly && FetchResponder.setsSeen(fetch.attributes())) {
            List<Long> unseen = new ArrayList<>();
            for (int seq : seqs) {
                MessageRef m = selected.message(seq);
                if (m != null && !m.flags().contains(SystemFlag.SEEN)) {
                    unseen.add(m.uid());
                }
            }
            if (!unseen.isEmpty()) {
                selected.folder.store(unseen, FlagUpdate.ADD, Flags.of(SystemFlag.SEEN), -1)
                        .changed().forEach(m -> seen.add(m.uid()));
                selected.refresh();
            }
        }
        boolean withFlags = fetch.attributes().contains(FetchAttribute.Simple.FLAGS);
        FetchResponder responder = new FetchResponder(selected.folder, out);
        for (int seq : seqs) {
            MessageRef m = selected.message(seq);
            if (m == null || (fetch.changedSince() >= 0 && m.modseq() <= fetch.changedSince())) {
                continue;
            }
            try {
                responder.respond(seq, m, fetch.attributes(), seen.contains(m.uid()));
            } catch (StoreException e) {
                if (e.reason() == StoreException.Reason.NO_SUCH_MESSAGE) {
                    continue; // expunged by another process this very moment; reported at the next chance
                }
                throw e;
            } catch (FetchFailure e) {
                return Done.no(e.responseCode(), e.getMessage());
            }
            if (withFlags || seen.contains(m.uid())) {
                selected.heard(seq, m.modseq());
            }
        }
        return Done.ok(fetch.name() + " completed");
    }

    /** VANISHED (EARLIER): UIDs of the set that no longer exist (we keep no history of when, RFC 7162 3.2.10 allows this). */
    private void vanishedEarlier(SequenceSet set) throws IOException {
        FolderSnapshot now = selected.snapshot();
        long maxUid = now.uidNext() - 1;
        List<Long> gone = new ArrayList<>();
        for (SequenceSet.Range r : set.ranges()) {
            long high = Math.min(r.high(maxUid), maxUid);
            for (long uid = r.low(maxUid); uid <= high && gone.size() < 1_000_000; uid++) {
                if (now.indexOf(uid) < 0) {
                    gone.add(uid);
                }
            }
        }
        if (!gone.isEmpty()) {
            out.raw("* VANISHED (EARLIER) ").raw(SequenceSet.compact(gone.stream().distinct().sorted().toList())).crlf();
        }
    }

    Done store(Command.Store store) throws IOException {
        if (selected.readOnly) {
            return Done.no("READ-ONLY", "Mailbox is read-only");
        }
        List<Integer> seqs = selected.resolve(store.set(), store.uid());
        if (store.unchangedSince() >= 0) {
            options.condstore = true;
        }
        StoreResult result = selected.folder.store(selected.existingUids(seqs), store.mode(), store.flags(), store.unchangedSince());
        selected.refresh();
        Set<Long> modified = new HashSet<>(result.modified());
        Set<Long> changed = new HashSet<>();
        result.changed().forEach(m -> changed.add(m.uid()));
        List<Long> modifiedNumbers = new ArrayList<>();
        for (int seq : seqs) {
            MessageRef m = selected.message(seq);
            if (m == null) {
                continue;
            }
            if (modified.contains(m.uid())) {
                modifiedNumbers.add(store.uid() ? m.uid() : seq);
                continue;
            }
            // .SILENT: no FETCH, except that CONDSTORE clients must learn the new modseq of what changed.
            if (!store.silent() || (options.condstore && changed.contains(m.uid()))) {
                out.raw("* ").number(seq).raw(" FETCH (");
                if (store.uid()) {
                    out.raw("UID ").number(m.uid()).sp();
                }
                out.raw("FLAGS ").raw(FlagsFormat.list(m.flags()));
                if (options.condstore) {
                    out.raw(" MODSEQ (").number(m.modseq()).raw(")");
                }
                out.raw(")").crlf();
            }
            selected.heard(seq, m.modseq());
        }
        if (!modifiedNumbers.isEmpty()) {
            return Done.ok("MODIFIED " + SequenceSet.compact(modifiedNumbers), "Conditional STORE failed for some messages");
        }
        return Done.ok(store.name() + " completed");
    }

    /**
     * @param savedUids the {@code $} result of an earlier SEARCH RETURN (SAVE); replaced when this one saves
     */
    Done search(Command.Search search, List<Long> savedUids) throws IOException {
        if (search.charset() != null && !search.charset().equals("UTF-8") && !search.charset().equals("US-ASCII")) {
            return Done.no("BADCHARSET (UTF-8 US-ASCII)", "Charset not supported");
        }
        boolean modseqKey = mentionsModseq(search.key());
        if (modseqKey) {
            options.condstore = true;
        }
        List<Long> numbers = new ArrayList<>();
        List<Long> uids = new ArrayList<>();
        long highestModseq = 0;
        for (SearchEvaluator.Candidate m : matching(search.key(), savedUids)) {
            numbers.add(search.uid() ? m.ref.uid() : m.seq);
            uids.add(m.ref.uid());
            highestModseq = Math.max(highestModseq, m.ref.modseq());
        }
        List<String> returns = search.returns();
        if (returns == null && !options.imap4rev2) {
            StringJoiner line = new StringJoiner(" ");
            line.add("SEARCH");
            numbers.forEach(n -> line.add(Long.toString(n)));
            if (modseqKey && !numbers.isEmpty()) {
                line.add("(MODSEQ " + highestModseq + ")");
            }
            out.untagged(line.toString());
            return Done.ok(search.name() + " completed");
        }
        List<String> options = returns == null || returns.isEmpty() ? List.of("ALL") : returns;
        if (options.contains("SAVE")) {
            savedUids.clear();
            savedUids.addAll(uids);
            if (options.size() == 1) {
                return Done.ok(search.name() + " completed, result saved");
            }
        }
        out.raw("* ESEARCH (TAG ").string(search.tag()).raw(")");
        if (search.uid()) {
            out.raw(" UID");
        }
        if (!numbers.isEmpty()) {
            if (options.contains("MIN")) {
                out.raw(" MIN ").number(numbers.get(0));
            }
            if (options.contains("MAX")) {
                out.raw(" MAX ").number(numbers.get(numbers.size() - 1));
            }
            if (options.contains("ALL")) {
                out.raw(" ALL ").raw(SequenceSet.compact(numbers));
            }
        }
        if (options.contains("COUNT")) {
            out.raw(" COUNT ").number(numbers.size());
        }
        if (modseqKey && !numbers.isEmpty()) {
            out.raw(" MODSEQ ").number(highestModseq);
        }
        out.crlf();
        return Done.ok(search.name() + " completed");
    }

    /** The messages that match a key, in message number order; messages removed meanwhile are skipped. */
    private List<SearchEvaluator.Candidate> matching(SearchKey key, List<Long> savedUids) throws IOException {
        long maxUid = selected.count() == 0 ? 0 : selected.uidAt(selected.count());
        SearchEvaluator evaluator = new SearchEvaluator(selected.count(), maxUid, List.copyOf(savedUids), Instant.now());
        List<SearchEvaluator.Candidate> found = new ArrayList<>();
        for (int seq = 1; seq <= selected.count(); seq++) {
            MessageRef m = selected.message(seq);
            if (m == null) {
                continue;
            }
            SearchEvaluator.Candidate candidate = new SearchEvaluator.Candidate(seq, m, selected.folder);
            try {
                if (evaluator.matches(key, candidate)) {
                    found.add(candidate);
                }
            } catch (StoreException e) {
                if (e.reason() != StoreException.Reason.NO_SUCH_MESSAGE) {
                    throw e;
                }
            }
        }
        return found;
    }

    /** SORT and UID SORT (RFC 5256). */
    Done sort(Command.Sort sort, List<Long> savedUids) throws IOException {
        if (!sort.charset().equals("UTF-8") && !sort.charset().equals("US-ASCII")) {
            return Done.no("BADCHARSET (UTF-8 US-ASCII)", "Charset not supported");
        }
        List<MessageOrder.Entry> entries = new ArrayList<>();
        for (SearchEvaluator.Candidate m : matching(sort.key(), savedUids)) {
            entries.add(MessageOrder.entry(m, selected.folder));
        }
        StringJoiner line = new StringJoiner(" ");
        line.add("SORT");
        MessageOrder.sort(entries, sort.keys()).forEach(e -> line.add(Long.toString(sort.uid() ? e.uid() : e.seq())));
        out.untagged(line.toString());
        return Done.ok(sort.name() + " completed");
    }

    /** THREAD and UID THREAD with ORDEREDSUBJECT or REFERENCES (RFC 5256). */
    Done thread(Command.ThreadMessages thread, List<Long> savedUids) throws IOException {
        boolean references = thread.algorithm().equals("REFERENCES");
        if (!references && !thread.algorithm().equals("ORDEREDSUBJECT")) {
            return Done.bad("Unsupported threading algorithm " + thread.algorithm());
        }
        if (!thread.charset().equals("UTF-8") && !thread.charset().equals("US-ASCII")) {
            return Done.no("BADCHARSET (UTF-8 US-ASCII)", "Charset not supported");
        }
        List<MessageOrder.Entry> entries = new ArrayList<>();
        List<ReferencesThreading.Message> messages = new ArrayList<>();
        for (SearchEvaluator.Candidate m : matching(thread.key(), savedUids)) {
            MessageOrder.Entry entry = MessageOrder.entry(m, selected.folder);
            entries.add(entry);
            if (references) {
                messages.add(new ReferencesThreading.Message(entry, SearchEvaluator.fieldValue(m.header(), "References")));
            }
        }
        List<ThreadNode> roots = references ? ReferencesThreading.thread(messages) : MessageOrder.orderedSubject(entries);
        String threads = ThreadNode.format(roots, thread.uid());
        out.untagged(threads.isEmpty() ? "THREAD" : "THREAD " + threads);
        return Done.ok(thread.name() + " completed");
    }

    private static boolean mentionsModseq(SearchKey key) {
        if (key instanceof SearchKey.ModSeq) {
            return true;
        }
        if (key instanceof SearchKey.Not not) {
            return mentionsModseq(not.key());
        }
        if (key instanceof SearchKey.Or or) {
            return mentionsModseq(or.left()) || mentionsModseq(or.right());
        }
        if (key instanceof SearchKey.And and) {
            return and.keys().stream().anyMatch(MessageCommands::mentionsModseq);
        }
        return false;
    }

    /** COPY or MOVE (RFC 6851) with COPYUID (RFC 4315). */
    Done copy(Command.Copy copy, Mailbox mailbox) throws IOException {
        if (copy.move() && selected.readOnly) {
            return Done.no("READ-ONLY", "Mailbox is read-only");
        }
        List<Integer> seqs = selected.resolve(copy.set(), copy.uid());
        Folder target;
        try {
            target = mailbox.folder(copy.mailbox());
        } catch (StoreException e) {
            return StoreErrors.no(e, true);
        }
        List<Long> uids = selected.existingUids(seqs);
        if (uids.isEmpty()) {
            return Done.ok(copy.name() + " completed, no messages");
        }
        CopyResult result;
        try {
            result = copy.move() ? selected.folder.move(uids, target) : selected.folder.copy(uids, target);
        } catch (StoreException e) {
            return StoreErrors.no(e, true);
        }
        String copyUid = result.sourceUids().isEmpty() ? null : "COPYUID " + result.targetUidValidity() + " "
                + SequenceSet.compact(result.sourceUids()) + " " + SequenceSet.compact(result.targetUids());
        if (copy.move()) {
            if (copyUid != null) {
                out.status("OK", copyUid, "Moved");
            }
            selected.refresh();
            return Done.ok(copy.name() + " completed");
        }
        return copyUid == null ? Done.ok(copy.name() + " completed") : Done.ok(copyUid, copy.name() + " completed");
    }

    /** EXPUNGE, or UID EXPUNGE of a set (RFC 4315): removes the messages marked \Deleted. */
    Done expunge(SequenceSet uidSet) throws IOException {
        if (selected.readOnly) {
            return Done.no("READ-ONLY", "Mailbox is read-only");
        }
        selected.folder.expunge(deletedUids(uidSet));
        selected.refresh();
        return Done.ok(uidSet == null ? "EXPUNGE completed" : "UID EXPUNGE completed");
    }

    /** CLOSE's silent expunge. */
    void expungeSilently() throws IOException {
        if (!selected.readOnly) {
            selected.folder.expunge(deletedUids(null));
        }
    }

    private List<Long> deletedUids(SequenceSet uidSet) {
        List<Long> uids = new ArrayList<>();
        long maxUid = selected.count() == 0 ? 0 : selected.uidAt(selected.count());
        for (int seq = 1; seq <= selected.count(); seq++) {
            MessageRef m = selected.message(seq);
            if (m != null && m.flags().contains(SystemFlag.DELETED) && (uidSet == null || uidSet.contains(m.uid(), maxUid))) {
                uids.add(m.uid());
            }
        }
        return uids;
    }
}

package mailserver.imap.session;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mailserver.imap.parse.Command;
import mailserver.store.Folder;
import mailserver.store.mime.Envelope;
import mailserver.store.mime.EnvelopeAddress;

/**
 * SORT (RFC 5256, with RFC 5957's DISPLAYFROM/DISPLAYTO) and THREAD=ORDEREDSUBJECT over messages
 * that matched the search. Ties fall back to the message number, as the RFC says. Envelopes come
 * from the store's parsed structure (cached per folder).
 */
final class MessageOrder {

    /** A matching message with what sorting needs, read once. */
    record Entry(int seq, long uid, long size, Instant arrival, Instant sent, String subject, Envelope envelope) {
    }

    private MessageOrder() {
    }

    static Entry entry(SearchEvaluator.Candidate m, Folder folder) throws IOException {
        Envelope envelope = folder.structure(m.ref.uid()).envelope();
        Instant sent = HeaderDates.parse(envelope.date()).map(d -> d.toInstant()).orElse(m.ref.internalDate());
        return new Entry(m.seq, m.ref.uid(), m.ref.size(), m.ref.internalDate(), sent, BaseSubject.of(envelope.subject()), envelope);
    }

    static List<Entry> sort(List<Entry> entries, List<Command.SortKey> keys) {
        Comparator<Entry> order = null;
        for (Command.SortKey key : keys) {
            Comparator<Entry> one = comparator(key.criterion());
            if (key.reverse()) {
                one = one.reversed();
            }
            order = order == null ? one : order.thenComparing(one);
        }
        Comparator<Entry> bySeq = Comparator.comparingInt(Entry::seq);
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(order == null ? bySeq : order.thenComparing(bySeq));
        return sorted;
    }

    private static Comparator<Entry> comparator(Command.SortCriterion criterion) {
        return switch (criterion) {
            case ARRIVAL -> Comparator.comparing(Entry::arrival);
            case DATE -> Comparator.comparing(Entry::sent);
            case SIZE -> Comparator.comparingLong(Entry::size);
            case SUBJECT -> Comparator.comparing(Entry::subject);
            case FROM -> Comparator.comparing(e -> mailbox(e.envelope().from()));
            case TO -> Comparator.comparing(e -> mailbox(e.envelope().to()));
            case CC -> Comparator.comparing(e -> mailbox(e.envelope().cc()));
            case DISPLAYFROM -> Comparator.comparing(e -> display(e.envelope().from()));
            case DISPLAYTO -> Comparator.comparing(e -> display(e.envelope().to()));
        };
    }

    /** RFC 5256: the addr-mailbox of the first address, case-folded; empty when there is none. */
    private static String mailbox(List<EnvelopeAddress> addresses) {
        EnvelopeAddress first = first(addresses);
        return first == null || first.mailbox() == null ? "" : first.mailbox().toUpperCase(Locale.ROOT);
    }

    /** RFC 5957: the display name of the first address, or its address when it has none. */
    private static String display(List<EnvelopeAddress> addresses) {
        EnvelopeAddress first = first(addresses);
        if (first == null) {
            return "";
        }
        if (first.name() != null && !first.name().isBlank()) {
            return first.name().toUpperCase(Locale.ROOT);
        }
        return ((first.mailbox() == null ? "" : first.mailbox()) + "@" + (first.host() == null ? "" : first.host()))
                .toUpperCase(Locale.ROOT);
    }

    private static EnvelopeAddress first(List<EnvelopeAddress> addresses) {
        if (addresses == null) {
            return null;
        }
        for (EnvelopeAddress a : addresses) {
            if (a.host() != null) {
                return a; // skips group markers
            }
        }
        return null;
    }

    /**
     * THREAD=ORDEREDSUBJECT: messages with the same base subject form a thread whose first
     * message (by sent date) is the parent of the others; threads are ordered by their first
     * message's date.
     */
    static List<ThreadNode> orderedSubject(List<Entry> entries) {
        Comparator<Entry> byDate = Comparator.comparing(Entry::sent).thenComparingInt(Entry::seq);
        Map<String, ThreadNode> threads = new LinkedHashMap<>();
        entries.stream().sorted(byDate).forEach(e -> {
            ThreadNode first = threads.get(e.subject());
            if (first == null) {
                threads.put(e.subject(), new ThreadNode(e));
            } else {
                first.addChild(new ThreadNode(e));
            }
        });
        return new ArrayList<>(threads.values());
    }
}

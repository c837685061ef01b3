package mailserver.imap.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

import mailserver.imap.parse.SearchKey;
import mailserver.store.Folder;
import mailserver.store.MessageRef;
import mailserver.store.SystemFlag;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * Decides whether one message matches a SEARCH key. Flags, sizes, dates and numbers come from
 * the folder's state; header keys read the header (decoding RFC 2047 words); BODY and TEXT
 * search the decoded text parts ({@link BodyTextSearch}), TEXT the decoded header too. Text
 * comparison is case-insensitive substring matching.
 */
final class SearchEvaluator {

    /** The message under test: its number, its state and lazily read parts. */
    static final class Candidate {
        final int seq;
        final MessageRef ref;
        private final Folder folder;
        private String header;

        Candidate(int seq, MessageRef ref, Folder folder) {
            this.seq = seq;
            this.ref = ref;
            this.folder = folder;
        }

        String header() throws IOException {
            if (header == null) {
                header = new String(folder.header(ref.uid()), StandardCharsets.UTF_8);
            }
            return header;
        }
    }

    private final long maxSeq;
    private final long maxUid;
    private final List<Long> savedUids;
    private final Instant now;

    /** @param savedUids the result saved by SEARCH RETURN (SAVE), for {@code $} */
    SearchEvaluator(long maxSeq, long maxUid, List<Long> savedUids, Instant now) {
        this.maxSeq = maxSeq;
        this.maxUid = maxUid;
        this.savedUids = savedUids;
        this.now = now;
    }

    boolean matches(SearchKey key, Candidate m) throws IOException {
        if (key instanceof SearchKey.All) {
            return true;
        }
        if (key instanceof SearchKey.And and) {
            for (SearchKey k : and.keys()) {
                if (!matches(k, m)) {
                    return false;
                }
            }
            return true;
        }
        if (key instanceof SearchKey.Or or) {
            return matches(or.left(), m) || matches(or.right(), m);
        }
        if (key instanceof SearchKey.Not not) {
            return !matches(not.key(), m);
        }
        if (key instanceof SearchKey.Flag flag) {
            return hasFlag(m.ref, flag.flag()) == flag.set();
        }
        if (key instanceof SearchKey.Size size) {
            return size.larger() ? m.ref.size() > size.bytes() : m.ref.size() < size.bytes();
        }
        if (key instanceof SearchKey.Sequence seq) {
            if (seq.set().saved()) {
                return savedUids.contains(m.ref.uid());
            }
            return seq.uid() ? seq.set().contains(m.ref.uid(), maxUid) : seq.set().contains(m.seq, maxSeq);
        }
        if (key instanceof SearchKey.ModSeq modseq) {
            return m.ref.modseq() >= modseq.modseq();
        }
        if (key instanceof SearchKey.Within within) {
            boolean younger = m.ref.internalDate().isAfter(now.minusSeconds(within.seconds()));
            return younger == within.younger();
        }
        if (key instanceof SearchKey.DateCompare date) {
            LocalDate day = date.sentDate() ? sentDate(m) : m.ref.internalDate().atZone(ZoneId.systemDefault()).toLocalDate();
            if (day == null) {
                return false;
            }
            return switch (date.comparison()) {
                case BEFORE -> day.isBefore(date.date());
                case ON -> day.equals(date.date());
                case SINCE -> !day.isBefore(date.date());
            };
        }
        if (key instanceof SearchKey.Header header) {
            return headerContains(m.header(), header.field(), header.text());
        }
        if (key instanceof SearchKey.Text text) {
            if (!text.bodyOnly() && contains(DecoderUtil.decodeEncodedWords(m.header(), DecodeMonitor.SILENT), text.text())) {
                return true;
            }
            return bodyContains(m, text.text());
        }
        throw new IllegalStateException("unknown search key " + key);
    }

    private static boolean hasFlag(MessageRef ref, String flag) {
        if (flag.startsWith("\\")) {
            for (SystemFlag f : SystemFlag.values()) {
                if (f.imapName().equalsIgnoreCase(flag)) {
                    return ref.flags().contains(f);
                }
            }
            return false; // \Recent: this server gives no session recent messages
        }
        return ref.flags().keywords().stream().anyMatch(k -> k.equalsIgnoreCase(flag));
    }

    private static LocalDate sentDate(Candidate m) throws IOException {
        String date = fieldValue(m.header(), "DATE");
        if (date == null) {
            return null;
        }
        return HeaderDates.parse(date).map(ZonedDateTime::toLocalDate).orElse(null);
    }

    /** Unfolded value of the first field with this name, or null. */
    static String fieldValue(String header, String name) {
        for (String field : header.replace("\r\n ", " ").replace("\r\n\t", " ").split("\r\n")) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return field.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static boolean headerContains(String header, String name, String text) {
        for (String field : header.replace("\r\n ", " ").replace("\r\n\t", " ").split("\r\n")) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).trim().equalsIgnoreCase(name)) {
                if (text.isEmpty() || contains(DecoderUtil.decodeEncodedWords(field.substring(colon + 1), DecodeMonitor.SILENT), text)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean contains(String haystack, String needle) {
        return haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
    }

    /** The first {@link BodyTextSearch#MAX_BYTES} of the message, decoded part by part. */
    private static boolean bodyContains(Candidate m, String text) throws IOException {
        try (InputStream in = m.folder.openRange(m.ref.uid(), 0, Math.min(m.ref.size(), BodyTextSearch.MAX_BYTES))) {
            return BodyTextSearch.contains(in, text);
        }
    }
}

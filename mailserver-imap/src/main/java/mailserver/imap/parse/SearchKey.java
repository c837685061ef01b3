package mailserver.imap.parse;

import java.time.LocalDate;
import java.util.List;

/**
 * A SEARCH criterion (RFC 3501 6.4.4, RFC 9051 6.4.4, RFC 7162's MODSEQ). Keys that are
 * shorthands become their long forms: {@code FROM x} is {@code HEADER FROM x}, {@code UNSEEN}
 * is {@code NOT \Seen}, {@code NEW} is {@code \Recent} and not {@code \Seen}.
 */
public sealed interface SearchKey {

    /** ALL. */
    record All() implements SearchKey {
    }

    /** A system flag ({@code \Seen}) or keyword that must be {@code set} or not. */
    record Flag(String flag, boolean set) implements SearchKey {
    }

    /** The header field contains the text (case-insensitive); an empty text only needs the field. */
    record Header(String field, String text) implements SearchKey {
    }

    /** BODY (the body only) or TEXT (header and body) contains the text. */
    record Text(boolean bodyOnly, String text) implements SearchKey {
    }

    enum Comparison { BEFORE, ON, SINCE }

    /** BEFORE/ON/SINCE compare the internal date, SENTBEFORE/SENTON/SENTSINCE the Date header, by day. */
    record DateCompare(boolean sentDate, Comparison comparison, LocalDate date) implements SearchKey {
    }

    /** LARGER or SMALLER than this RFC822.SIZE. */
    record Size(boolean larger, long bytes) implements SearchKey {
    }

    /** A sequence set of message numbers, or of UIDs with the UID key. */
    record Sequence(SequenceSet set, boolean uid) implements SearchKey {
    }

    /** MODSEQ n: changed at or after this modseq. */
    record ModSeq(long modseq) implements SearchKey {
    }

    /** RFC 5032 YOUNGER/OLDER: the internal date is within / not within this many seconds. */
    record Within(boolean younger, long seconds) implements SearchKey {
    }

    record Not(SearchKey key) implements SearchKey {
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    /** All of the keys: a parenthesised list, or several keys in a row. */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }
}

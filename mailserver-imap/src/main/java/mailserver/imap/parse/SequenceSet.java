package mailserver.imap.parse;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A sequence set such as {@code 1:3,7,9:*}, of message sequence numbers or UIDs, or {@code $}:
 * the result saved by the last {@code SEARCH RETURN (SAVE)} (RFC 5182). Ranges are kept as the
 * client wrote them, so {@code 5:2} means 2 to 5.
 */
public record SequenceSet(List<Range> ranges, boolean saved) {

    /** {@code *}: the largest number in use. */
    public static final long STAR = 0;

    /** The {@code $} set. */
    public static final SequenceSet SAVED = new SequenceSet(List.of(), true);

    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (saved != ranges.isEmpty()) {
            throw new IllegalArgumentException("a sequence set is either $ or at least one range");
        }
    }

    public static SequenceSet of(List<Range> ranges) {
        return new SequenceSet(ranges, false);
    }

    public static SequenceSet of(long first, long last) {
        return of(List.of(new Range(first, last)));
    }

    /** One range; {@link #STAR} stands for the largest number in use. */
    public record Range(long first, long last) {
        public Range {
            if (first < 0 || last < 0) {
                throw new IllegalArgumentException("negative number in a sequence set");
            }
        }

        public long low(long max) {
            return Math.min(value(first, max), value(last, max));
        }

        public long high(long max) {
            return Math.max(value(first, max), value(last, max));
        }

        private static long value(long n, long max) {
            return n == STAR ? max : n;
        }

        @Override
        public String toString() {
            return first == last ? text(first) : text(first) + ":" + text(last);
        }

        private static String text(long n) {
            return n == STAR ? "*" : Long.toString(n);
        }
    }

    /** Whether {@code n} is in the set when {@code max} is the largest number in use ({@code *}). */
    public boolean contains(long n, long max) {
        for (Range r : ranges) {
            if (n >= r.low(max) && n <= r.high(max)) {
                return true;
            }
        }
        return false;
    }

    /** The wire form. */
    @Override
    public String toString() {
        return saved ? "$" : ranges.stream().map(Range::toString).collect(Collectors.joining(","));
    }

    /** A compact set of sorted numbers, such as {@code 1:3,7}, for COPYUID and ESEARCH. */
    public static String compact(List<Long> sorted) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(sorted.get(i));
            if (j > i) {
                out.append(':').append(sorted.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }
}

package mailserver.imap.parse;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The part of a message a {@code BODY[...]} fetch asks for: a MIME part path ({@code 1.2}, empty
 * for the whole message) and what of it: everything, {@code HEADER}, {@code HEADER.FIELDS (...)},
 * {@code HEADER.FIELDS.NOT (...)}, {@code TEXT} or {@code MIME}.
 */
public record Section(List<Integer> part, Text text, List<String> fields) {

    public enum Text {
        ALL(""), HEADER("HEADER"), HEADER_FIELDS("HEADER.FIELDS"), HEADER_FIELDS_NOT("HEADER.FIELDS.NOT"),
        TEXT("TEXT"), MIME("MIME");

        private final String wire;

        Text(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public static final Section WHOLE = new Section(List.of(), Text.ALL, List.of());

    public Section {
        part = List.copyOf(part);
        fields = List.copyOf(fields);
        boolean hasFields = text == Text.HEADER_FIELDS || text == Text.HEADER_FIELDS_NOT;
        if (hasFields == fields.isEmpty()) {
            throw new IllegalArgumentException("HEADER.FIELDS needs field names, other sections none");
        }
        if (text == Text.MIME && part.isEmpty()) {
            throw new IllegalArgumentException("MIME needs a part number");
        }
    }

    /** The wire form between the brackets, as the FETCH response echoes it. */
    @Override
    public String toString() {
        String path = part.stream().map(String::valueOf).collect(Collectors.joining("."));
        StringBuilder out = new StringBuilder(path);
        if (text != Text.ALL) {
            if (!path.isEmpty()) {
                out.append('.');
            }
            out.append(text.wire());
        }
        if (!fields.isEmpty()) {
            out.append(" (").append(fields.stream().map(f -> f.toUpperCase(Locale.ROOT)).collect(Collectors.joining(" ")))
                    .append(')');
        }
        return out.toString();
    }
}

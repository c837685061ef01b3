package mailserver.imap.parse;

import java.util.List;

/** One item of a FETCH request (macros ALL, FAST and FULL are expanded by the parser). */
public sealed interface FetchAttribute {

    /** Items without arguments, by their wire names. */
    enum Simple implements FetchAttribute {
        FLAGS("FLAGS"), INTERNALDATE("INTERNALDATE"), RFC822_SIZE("RFC822.SIZE"), ENVELOPE("ENVELOPE"),
        BODY("BODY"), BODYSTRUCTURE("BODYSTRUCTURE"), UID("UID"), MODSEQ("MODSEQ"), RFC822("RFC822"),
        RFC822_HEADER("RFC822.HEADER"), RFC822_TEXT("RFC822.TEXT");

        private final String wire;

        Simple(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** {@code BODY[section]<partial>} or {@code BODY.PEEK[...]}; partial may be null. */
    record BodySection(Section section, boolean peek, Partial partial) implements FetchAttribute {
    }

    /** RFC 3516 {@code BINARY[part]<partial>} or {@code BINARY.PEEK[...]}: the part decoded; partial may be null. */
    record Binary(List<Integer> part, boolean peek, Partial partial) implements FetchAttribute {
        public Binary {
            part = List.copyOf(part);
        }
    }

    /** RFC 3516 {@code BINARY.SIZE[part]}. */
    record BinarySize(List<Integer> part) implements FetchAttribute {
        public BinarySize {
            part = List.copyOf(part);
        }
    }
}

package mailserver.imap.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

import mailserver.imap.parse.FetchAttribute;
import mailserver.imap.parse.FetchAttribute.Simple;
import mailserver.imap.parse.Partial;
import mailserver.imap.parse.Section;
import mailserver.imap.response.FlagsFormat;
import mailserver.imap.response.ImapDates;
import mailserver.imap.response.ResponseWriter;
import mailserver.imap.response.StructureWriter;
import mailserver.store.Folder;
import mailserver.store.MessageRef;
import mailserver.store.mime.BodyPart;
import mailserver.store.mime.MessageStructure;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

/**
 * Writes {@code * n FETCH (...)} for one message, streaming message bytes from the folder: a
 * whole message or a partial of it is read straight from the file with {@link Folder#openRange};
 * a MIME part is located by one scan of offsets ({@link MessageLayout}) and then read as a range.
 * Nothing of a message's body is held in memory beyond the writer's chunk. Runs on a worker.
 */
public final class FetchResponder {

    private final Folder folder;
    private final ResponseWriter out;

    public FetchResponder(Folder folder, ResponseWriter out) {
        this.folder = folder;
        this.out = out;
    }

    /** Whether any of the attributes sets {@code \Seen} when fetched from a read-write mailbox. */
    public static boolean setsSeen(List<FetchAttribute> attributes) {
        for (FetchAttribute a : attributes) {
            if (a == Simple.RFC822 || a == Simple.RFC822_TEXT
                    || (a instanceof FetchAttribute.BodySection b && !b.peek())
                    || (a instanceof FetchAttribute.Binary b && !b.peek())) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param extraFlags add FLAGS even when not asked (the fetch just set {@code \Seen})
     */
    public void respond(long seq, MessageRef ref, List<FetchAttribute> attributes, boolean extraFlags)
            throws IOException, FetchFailure {
        out.raw("* ").number(seq).raw(" FETCH (");
        boolean first = true;
        boolean flagsDone = false;
        for (FetchAttribute a : attributes) {
            if (!first) {
                out.sp();
            }
            first = false;
            flagsDone |= a == Simple.FLAGS;
            item(ref, a);
        }
        if (extraFlags && !flagsDone) {
            if (!first) {
                out.sp();
            }
            out.raw("FLAGS ").raw(FlagsFormat.list(ref.flags()));
        }
        out.raw(")").crlf();
    }

    private void item(MessageRef ref, FetchAttribute a) throws IOException, FetchFailure {
        if (a instanceof Simple simple) {
            simple(ref, simple);
        } else if (a instanceof FetchAttribute.BodySection body) {
            out.raw("BODY[").raw(body.section().toString()).raw("]");
            if (body.partial() != null) {
                out.raw("<").number(body.partial().offset()).raw(">");
            }
            out.sp();
            section(ref, body.section(), body.partial());
        } else if (a instanceof FetchAttribute.Binary binary) {
            out.raw("BINARY[").raw(path(binary.part())).raw("]");
            if (binary.partial() != null) {
                out.raw("<").number(binary.partial().offset()).raw(">");
            }
            out.sp();
            binary(ref, binary.part(), binary.partial());
        } else if (a instanceof FetchAttribute.BinarySize size) {
            out.raw("BINARY.SIZE[").raw(path(size.part())).raw("] ").number(binarySize(ref, size.part()));
        }
    }

    private void simple(MessageRef ref, Simple simple) throws IOException {
        out.raw(simple.wire()).sp();
        switch (simple) {
            case UID -> out.number(ref.uid());
            case FLAGS -> out.raw(FlagsFormat.list(ref.flags()));
            case INTERNALDATE -> out.raw("\"").raw(ImapDates.dateTime(ref.internalDate())).raw("\"");
            case RFC822_SIZE -> out.number(ref.size());
            case MODSEQ -> out.raw("(").number(ref.modseq()).raw(")");
            case ENVELOPE -> StructureWriter.envelope(out, structure(ref).envelope());
            case BODY -> StructureWriter.body(out, structure(ref).body(), false);
            case BODYSTRUCTURE -> StructureWriter.body(out, structure(ref).body(), true);
            case RFC822 -> section(ref, Section.WHOLE, null);
            case RFC822_HEADER -> section(ref, new Section(List.of(), Section.Text.HEADER, List.of()), null);
            case RFC822_TEXT -> section(ref, new Section(List.of(), Section.Text.TEXT, List.of()), null);
            default -> throw new IllegalStateException(simple.name());
        }
    }

    private MessageStructure structure(MessageRef ref) throws IOException {
        return folder.structure(ref.uid());
    }

    /** A section as a literal, or {@code ""} when the message has no such part (as Dovecot answers). */
    private void section(MessageRef ref, Section section, Partial partial) throws IOException {
        long uid = ref.uid();
        if (section.part().isEmpty() && section.text() == Section.Text.ALL) {
            range(uid, 0, ref.size(), partial);
            return;
        }
        if (section.part().isEmpty() && section.text() != Section.Text.TEXT) {
            bytes(header(uid, section, folder.header(uid)), partial);
            return;
        }
        if (section.part().isEmpty()) {
            long headerLength = folder.header(uid).length;
            range(uid, headerLength, ref.size(), partial);
            return;
        }
        MessageLayout layout = layout(uid);
        MessageLayout.Range range = layout.range(structure(ref).body(), section.part(), section.text());
        if (range == null) {
            out.string("");
        } else if (section.text() == Section.Text.HEADER_FIELDS || section.text() == Section.Text.HEADER_FIELDS_NOT) {
            byte[] header;
            try (InputStream in = folder.openRange(uid, range.start(), range.length())) {
                header = in.readNBytes((int) Math.min(range.length(), 1 << 20));
            }
            bytes(header(uid, section, header), partial);
        } else {
            range(uid, range.start(), range.end(), partial);
        }
    }

    private static byte[] header(long uid, Section section, byte[] header) {
        return switch (section.text()) {
            case HEADER_FIELDS -> HeaderFilter.filter(header, section.fields(), true);
            case HEADER_FIELDS_NOT -> HeaderFilter.filter(header, section.fields(), false);
            default -> header;
        };
    }

    private MessageLayout layout(long uid) throws IOException {
        try (InputStream in = folder.open(uid)) {
            return MessageLayout.scan(in);
        }
    }

    /** Bytes {@code [start, end)} of the message, cut to the partial; only those bytes are read. */
    private void range(long uid, long start, long end, Partial partial) throws IOException {
        long from = start;
        long to = end;
        if (partial != null) {
            from = Math.min(end, start + partial.offset());
            to = Math.min(end, from + partial.length());
        }
        if (to <= from) {
            out.string("");
            return;
        }
        try (InputStream in = folder.openRange(uid, from, to - from)) {
            out.literal(in, to - from, false);
        }
    }

    private void bytes(byte[] bytes, Partial partial) throws IOException {
        int from = 0;
        int to = bytes.length;
        if (partial != null) {
            from = (int) Math.min(bytes.length, partial.offset());
            to = (int) Math.min(bytes.length, from + partial.length());
        }
        out.literal(new ByteArrayInputStream(bytes, from, to - from), to - from, false);
    }

    // ---- BINARY (RFC 3516) ----

    private void binary(MessageRef ref, List<Integer> part, Partial partial) throws IOException, FetchFailure {
        if (part.isEmpty()) {
            range(ref.uid(), 0, ref.size(), partial);
            return;
        }
        long size = binarySize(ref, part);
        long from = partial == null ? 0 : Math.min(size, partial.offset());
        long to = partial == null ? size : Math.min(size, from + partial.length());
        try (InputStream in = decoded(ref, part)) {
            in.skipNBytes(from);
            out.literal(in, to - from, true);
        }
    }

    private long binarySize(MessageRef ref, List<Integer> part) throws IOException, FetchFailure {
        if (part.isEmpty()) {
            return ref.size();
        }
        try (InputStream in = decoded(ref, part)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private InputStream decoded(MessageRef ref, List<Integer> part) throws IOException, FetchFailure {
        BodyPart structure = partAt(structure(ref).body(), part);
        MessageLayout.Range range = structure == null ? null
                : layout(ref.uid()).range(structure(ref).body(), part, Section.Text.ALL);
        if (range == null) {
            throw new FetchFailure("NONEXISTENT", "No part " + path(part));
        }
        String encoding = structure.encoding() == null ? "7bit" : structure.encoding().toLowerCase(Locale.ROOT);
        InputStream raw = folder.openRange(ref.uid(), range.start(), range.length());
        return switch (encoding) {
            case "7bit", "8bit", "binary" -> raw;
            case "base64" -> new Base64InputStream(raw);
            case "quoted-printable" -> new QuotedPrintableInputStream(raw);
            default -> {
                raw.close();
                throw new FetchFailure("UNKNOWN-CTE", "Cannot decode " + encoding);
            }
        };
    }

    /** The structure of a part by its path, as {@link MessageLayout#range} walks it. */
    private static BodyPart partAt(BodyPart root, List<Integer> path) {
        BodyPart structure = root;
        boolean inPart = false;
        for (int number : path) {
            if (inPart && structure.type().equals("message") && structure.subtype().equals("rfc822") && structure.message() != null) {
                structure = structure.message().body();
            }
            if (structure.isMultipart()) {
                if (number > structure.parts().size()) {
                    return null;
                }
                structure = structure.parts().get(number - 1);
            } else if (number != 1) {
                return null;
            }
            inPart = true;
        }
        return structure;
    }

    private static String path(List<Integer> part) {
        StringBuilder s = new StringBuilder();
        for (int n : part) {
            if (s.length() > 0) {
                s.append('.');
            }
            s.append(n);
        }
        return s.toString();
    }
}

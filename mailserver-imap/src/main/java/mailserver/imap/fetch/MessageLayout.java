package mailserver.imap.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import mailserver.imap.parse.Section;
import mailserver.store.mime.BodyPart;

/**
 * Where each MIME entity of a message lies, as byte offsets into its CRLF form, so a
 * {@code BODY[section]} can be read as one range of the file. Built from one pass over the
 * message that keeps only the offsets of empty lines and of lines that may be boundaries
 * ({@code --...}), never content, and from the parsed {@link BodyPart} tree that says which
 * parts are multipart (with which boundary) and which hold a message/rfc822.
 */
final class MessageLayout {

    /** Boundaries are at most 70 characters (RFC 2046), so a delimiter line fits in this many bytes. */
    private static final int MARKER_PREFIX = 80;
    /** More boundary-like lines than this and parts beyond them are not found: a bound on memory. */
    private static final int MAX_MARKERS = 100_000;

    /** {@code [start, end)} of the message. */
    record Range(long start, long end) {
        long length() {
            return end - start;
        }
    }

    /** One entity: header from {@code headerStart}, body from {@code bodyStart} to {@code end}. */
    private record Entity(long headerStart, long bodyStart, long end) {
    }

    private record Marker(long offset, int length, byte[] prefix) {
    }

    private final long size;
    private final long[] blankLines;
    private final int blankCount;
    private final List<Marker> markers;

    private MessageLayout(long size, long[] blankLines, int blankCount, List<Marker> markers) {
        this.size = size;
        this.blankLines = blankLines;
        this.blankCount = blankCount;
        this.markers = markers;
    }

    /** Reads the message once. */
    static MessageLayout scan(InputStream message) throws IOException {
        long[] blanks = new long[64];
        int blankCount = 0;
        List<Marker> markers = new ArrayList<>();
        byte[] prefix = new byte[MARKER_PREFIX];
        byte[] buffer = new byte[64 * 1024];
        long offset = 0;
        long lineStart = 0;
        int prefixLength = 0;
        int n;
        while ((n = message.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (prefixLength < MARKER_PREFIX) {
                    prefix[prefixLength] = b;
                }
                prefixLength++;
                offset++;
                if (b == '\n') {
                    int lineLength = (int) Math.min(offset - lineStart, Integer.MAX_VALUE);
                    if (lineLength <= 2 && (lineLength == 1 || prefix[0] == '\r')) {
                        if (blankCount == blanks.length) {
                            blanks = Arrays.copyOf(blanks, blanks.length * 2);
                        }
                        blanks[blankCount++] = lineStart;
                    } else if (lineLength >= 4 && prefix[0] == '-' && prefix[1] == '-' && markers.size() < MAX_MARKERS) {
                        markers.add(new Marker(lineStart, lineLength, Arrays.copyOf(prefix, Math.min(lineLength, MARKER_PREFIX))));
                    }
                    lineStart = offset;
                    prefixLength = 0;
                }
            }
        }
        return new MessageLayout(offset, blanks, blankCount, markers);
    }

    long size() {
        return size;
    }

    /**
     * The bytes of a section: the whole message, its header or text, or a part's body, MIME
     * header, or (for a message/rfc822 part) the header or text of the message inside.
     *
     * @return null when the message has no such part
     */
    Range range(BodyPart root, List<Integer> path, Section.Text text) {
        Entity entity = entity(0, size);
        BodyPart structure = root;
        boolean inPart = false;
        for (int number : path) {
            if (inPart && isMessage(structure)) {
                entity = entity(entity.bodyStart(), entity.end());
                structure = structure.message().body();
            }
            if (structure.isMultipart()) {
                List<Entity> children = children(entity, structure);
                if (number > children.size() || number > structure.parts().size()) {
                    return null;
                }
                entity = children.get(number - 1);
                structure = structure.parts().get(number - 1);
            } else if (number != 1) {
                return null;
            }
            inPart = true;
        }
        if (!inPart) {
            return switch (text) {
                case ALL -> new Range(0, size);
                case HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT -> new Range(entity.headerStart(), entity.bodyStart());
                case TEXT -> new Range(entity.bodyStart(), entity.end());
                case MIME -> null;
            };
        }
        switch (text) {
            case ALL:
                return new Range(entity.bodyStart(), entity.end());
            case MIME:
                return new Range(entity.headerStart(), entity.bodyStart());
            default:
                if (!isMessage(structure)) {
                    return null;
                }
                Entity inner = entity(entity.bodyStart(), entity.end());
                return text == Section.Text.TEXT ? new Range(inner.bodyStart(), inner.end())
                        : new Range(inner.headerStart(), inner.bodyStart());
        }
    }

    private static boolean isMessage(BodyPart part) {
        return part.type().equals("message") && part.subtype().equals("rfc822") && part.message() != null;
    }

    /** The entity from {@code start}: its header ends with the first empty line. */
    private Entity entity(long start, long end) {
        int i = firstAtOrAfter(start);
        if (i < blankCount && blankLines[i] < end) {
            long blank = blankLines[i];
            return new Entity(start, Math.min(end, blank + 2), end);
        }
        return new Entity(start, end, end);
    }

    private int firstAtOrAfter(long offset) {
        int lo = 0;
        int hi = blankCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (blankLines[mid] < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The parts of a multipart body, between its delimiter lines. */
    private List<Entity> children(Entity parent, BodyPart structure) {
        String boundary = structure.parameters().get("boundary");
        List<Entity> children = new ArrayList<>();
        if (boundary == null) {
            return children;
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        long partStart = -1;
        for (Marker m : markers) {
            if (m.offset() < parent.bodyStart() || m.offset() >= parent.end() || !isDelimiter(m, delimiter)) {
                continue;
            }
            if (partStart >= 0) {
                // The CRLF before a delimiter belongs to the delimiter.
                children.add(entity(partStart, Math.max(partStart, m.offset() - 2)));
            }
            if (isClose(m, delimiter)) {
                return children;
            }
            partStart = m.offset() + m.length();
        }
        if (partStart >= 0) {
            children.add(entity(partStart, parent.end()));
        }
        return children;
    }

    private static boolean isDelimiter(Marker m, byte[] delimiter) {
        byte[] line = m.prefix();
        if (line.length < delimiter.length || !Arrays.equals(line, 0, delimiter.length, delimiter, 0, delimiter.length)) {
            return false;
        }
        int i = delimiter.length;
        if (isClose(m, delimiter)) {
            i += 2;
        }
        for (; i < line.length; i++) {
            if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean isClose(Marker m, byte[] delimiter) {
        byte[] line = m.prefix();
        return line.length >= delimiter.length + 2 && line[delimiter.length] == '-' && line[delimiter.length + 1] == '-';
    }
}

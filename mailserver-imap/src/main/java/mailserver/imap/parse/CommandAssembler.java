package mailserver.imap.parse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a command together from what the framing hands over: lines, and after a line ending in a
 * literal announcement ({@code {n}}, {@code {n+}}, {@code ~{n}}) exactly n raw bytes. Enforces
 * the limits before anything is stored: a literal over APPENDLIMIT is refused before its bytes
 * are read (for a synchronizing one the client never sends them). Not thread-safe: one per connection.
 */
public final class CommandAssembler {

    /** What the caller does next. */
    public sealed interface Progress permits Complete, NeedLiteral, NeedLine, Rejected {
    }

    /** A whole command is here. */
    public record Complete(RawCommand command) implements Progress {
    }

    /** Read {@code size} raw bytes next; send a continuation request first when {@code synchronizing}. */
    public record NeedLiteral(long size, boolean synchronizing) implements Progress {
    }

    /** Read the next line (the rest of a command after a literal, or more literal bytes to come). */
    public record NeedLine() implements Progress {
    }

    /**
     * The command is refused. When {@code fatal}, bytes the client sends anyway (a non-synchronizing
     * literal) cannot be told from commands, so the connection must be closed.
     */
    public record Rejected(ImapParseException error, boolean fatal) implements Progress {
    }

    private static final NeedLine NEED_LINE = new NeedLine();

    private final ImapLimits limits;
    private final Path spoolDir;
    private final List<byte[]> text = new ArrayList<>();
    private final List<Literal> literals = new ArrayList<>();
    private int textBytes;
    private String tag;
    // The literal being received.
    private long literalSize = -1;
    private long literalReceived;
    private boolean literalBinary;
    private ByteArrayOutputStream literalMemory;
    private Path literalFile;
    private OutputStream literalOut;

    /** @param spoolDir where literals over {@link ImapLimits#maxInMemoryLiteral()} are written */
    public CommandAssembler(ImapLimits limits, Path spoolDir) {
        this.limits = limits;
        this.spoolDir = spoolDir;
    }

    /** Whether raw literal bytes are expected next. */
    public boolean inLiteral() {
        return literalSize >= 0;
    }

    /** One line, its line ending included. */
    public Progress line(byte[] line) {
        if (inLiteral()) {
            throw new IllegalStateException("literal bytes expected, not a line");
        }
        int end = line.length;
        if (end > 0 && line[end - 1] == '\n') {
            end--;
            if (end > 0 && line[end - 1] == '\r') {
                end--;
            }
        }
        if (text.isEmpty()) {
            tag = tagOf(line, end);
        }
        textBytes += end;
        if (textBytes > limits.maxCommandText()) {
            return reject(new ImapParseException(tag, "Command too long"), false);
        }
        Announcement literal = announcement(line, end);
        if (literal == null) {
            text.add(java.util.Arrays.copyOf(line, end));
            RawCommand done = new RawCommand(text, literals);
            clear();
            return new Complete(done);
        }
        text.add(java.util.Arrays.copyOf(line, literal.start()));
        if (literals.size() >= limits.maxLiterals()) {
            return reject(new ImapParseException(tag, "Too many literals in one command"), !literal.synchronizing());
        }
        if (literal.size() > limits.maxLiteralSize()) {
            return reject(new ImapParseException(tag, "TOOBIG", "Literal larger than " + limits.maxLiteralSize() + " bytes"),
                    !literal.synchronizing());
        }
        literalSize = literal.size();
        literalReceived = 0;
        literalBinary = literal.binary();
        literalMemory = new ByteArrayOutputStream((int) Math.min(literalSize, limits.maxInMemoryLiteral()));
        if (literalSize == 0) {
            literals.add(Literal.inMemory(new byte[0], literalBinary));
            literalSize = -1;
            return NEED_LINE;
        }
        return new NeedLiteral(literal.size(), literal.synchronizing());
    }

    /**
     * Raw bytes of the current literal. Large literals are written to a spool file here, through a
     * buffer: small sequential writes to the page cache, which the event loop can afford.
     */
    public Progress literal(byte[] chunk, int offset, int length) {
        if (!inLiteral() || length > literalSize - literalReceived) {
            throw new IllegalStateException("more literal bytes than announced");
        }
        try {
            if (literalOut == null && literalReceived + length > limits.maxInMemoryLiteral()) {
                literalFile = Files.createTempFile(spoolDir, "literal", ".tmp");
                literalOut = new java.io.BufferedOutputStream(Files.newOutputStream(literalFile), 64 * 1024);
                literalMemory.writeTo(literalOut);
                literalMemory = null;
            }
            (literalOut != null ? literalOut : literalMemory).write(chunk, offset, length);
        } catch (IOException e) {
            return reject(new ImapParseException(tag, "SERVERBUG", "Cannot store the literal: " + e.getMessage()), true);
        }
        literalReceived += length;
        if (literalReceived == literalSize) {
            try {
                finishLiteral();
            } catch (IOException e) {
                return reject(new ImapParseException(tag, "SERVERBUG", "Cannot store the literal: " + e.getMessage()), true);
            }
        }
        return NEED_LINE;
    }

    /** Drops a command in progress (connection closed, line too long), deleting spooled bytes. */
    public void reset() {
        closeLiteralFile();
        literals.forEach(Literal::close);
        clear();
    }

    private void finishLiteral() throws IOException {
        if (literalOut != null) {
            literalOut.close();
            literals.add(Literal.inFile(literalFile, literalSize, literalBinary));
        } else {
            literals.add(Literal.inMemory(literalMemory.toByteArray(), literalBinary));
        }
        literalOut = null;
        literalFile = null;
        literalMemory = null;
        literalSize = -1;
    }

    private Rejected reject(ImapParseException error, boolean fatal) {
        reset();
        return new Rejected(error, fatal);
    }

    private void clear() {
        text.clear();
        literals.clear();
        textBytes = 0;
        tag = null;
        literalSize = -1;
        literalMemory = null;
        literalFile = null;
        literalOut = null;
    }

    private void closeLiteralFile() {
        if (literalOut != null) {
            try {
                literalOut.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
        }
        if (literalFile != null) {
            try {
                Files.deleteIfExists(literalFile);
            } catch (IOException ignored) {
                // a stray temp file in the spool directory, nothing worse
            }
        }
    }

    private record Announcement(int start, long size, boolean synchronizing, boolean binary) {
    }

    /** {@code [~]{digits[+]}} at the very end of the line, or null. */
    static Announcement announcement(byte[] line, int end) {
        if (end < 3 || line[end - 1] != '}') {
            return null;
        }
        int i = end - 2;
        boolean plus = line[i] == '+';
        if (plus) {
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            i--;
        }
        int digits = digitsEnd - (i + 1);
        if (digits == 0 || i < 0 || line[i] != '{' || digits > 18) {
            return null;
        }
        long size = Long.parseLong(new String(line, i + 1, digits, StandardCharsets.US_ASCII));
        boolean binary = i > 0 && line[i - 1] == '~';
        return new Announcement(binary ? i - 1 : i, size, !plus, binary);
    }

    private static String tagOf(byte[] line, int end) {
        int i = 0;
        while (i < end && Grammar.isTagChar(line[i] & 0xff)) {
            i++;
        }
        return i > 0 && (i == end || line[i] == ' ') ? new String(line, 0, i, StandardCharsets.US_ASCII) : null;
    }
}

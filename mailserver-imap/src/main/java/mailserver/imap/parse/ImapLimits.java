package mailserver.imap.parse;

/**
 * Hard limits on what one client command may contain.
 *
 * @param maxLineLength     bytes of one line of a command, CRLF included
 * @param maxLiteralSize    bytes of one literal: APPENDLIMIT
 * @param maxLiterals       literals in one command (MULTIAPPEND sends one per message)
 * @param maxCommandText    bytes of all the lines of one command together
 * @param maxNesting        depth of parenthesised lists and search keys
 * @param maxInMemoryLiteral literals up to this size stay in memory; larger ones are spooled to a file
 */
public record ImapLimits(int maxLineLength, long maxLiteralSize, int maxLiterals, int maxCommandText, int maxNesting,
                         int maxInMemoryLiteral) {

    /** 64 KiB lines (Dovecot's imap_max_line_length), 50 MiB messages, 100 nesting levels. */
    public static final ImapLimits DEFAULT = new ImapLimits(64 * 1024, 50L * 1024 * 1024, 1000, 1024 * 1024, 100, 64 * 1024);

    public ImapLimits {
        if (maxLineLength <= 0 || maxLiteralSize <= 0 || maxLiterals <= 0 || maxCommandText <= 0 || maxNesting <= 0
                || maxInMemoryLiteral <= 0) {
            throw new IllegalArgumentException("IMAP limits must be positive");
        }
    }

    public ImapLimits withMaxLiteralSize(long bytes) {
        return new ImapLimits(maxLineLength, bytes, maxLiterals, maxCommandText, maxNesting, maxInMemoryLiteral);
    }
}

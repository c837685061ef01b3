package mailserver.imap.parse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tokens of one {@link RawCommand}: text pieces (decoded as UTF-8) with literals
 * between them. A literal stands wherever a string may. Every failure is an
 * {@link ImapParseException} that names what was expected.
 */
final class Cursor {

    /** Longest string taken from a literal where a short value (name, search text) is expected. */
    static final int MAX_STRING_LITERAL = 64 * 1024;

    private final List<String> text = new ArrayList<>();
    private final List<Literal> literals;
    private final int maxNesting;
    private int piece;
    private int pos;
    private int depth;
    private String tag;

    Cursor(RawCommand command, int maxNesting) throws ImapParseException {
        for (byte[] bytes : command.text()) {
            text.add(decode(bytes));
        }
        this.literals = command.literals();
        this.maxNesting = maxNesting;
    }

    private static String decode(byte[] bytes) throws ImapParseException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ImapParseException(null, "Command is not valid UTF-8");
        }
    }

    void tag(String commandTag) {
        this.tag = commandTag;
    }

    String tag() {
        return tag;
    }

    ImapParseException error(String message) {
        return new ImapParseException(tag, message);
    }

    // ---- position ----

    private String current() {
        return text.get(piece);
    }

    /** The next character of the current text piece, or -1 at its end (end of command or a literal). */
    int peek() {
        return pos < current().length() ? current().charAt(pos) : -1;
    }

    private boolean atLiteral() {
        return pos == current().length() && piece < literals.size();
    }

    boolean atEnd() {
        return pos == current().length() && piece == literals.size();
    }

    void end() throws ImapParseException {
        if (!atEnd()) {
            throw error("Unexpected characters at the end of the command");
        }
    }

    void expect(char c) throws ImapParseException {
        if (peek() != c) {
            throw error("Expected '" + c + "'");
        }
        pos++;
    }

    boolean skip(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    void sp() throws ImapParseException {
        expect(' ');
    }

    /** Whether the text continues with {@code word} (case-insensitive), consuming it if so. */
    boolean skipWord(String word) {
        String s = current();
        if (s.regionMatches(true, pos, word, 0, word.length())) {
            pos += word.length();
            return true;
        }
        return false;
    }

    void open() throws ImapParseException {
        expect('(');
        enter();
    }

    void close() throws ImapParseException {
        expect(')');
        leave();
    }

    /** One level deeper into a list or a recursive search key. */
    void enter() throws ImapParseException {
        if (++depth > maxNesting) {
            throw error("Nested deeper than " + maxNesting + " levels");
        }
    }

    void leave() {
        depth--;
    }

    // ---- tokens ----

    /** 1*ATOM-CHAR. */
    String atom() throws ImapParseException {
        return run(Grammar::isAtomChar, "an atom");
    }

    /** 1*ASTRING-CHAR (an atom that may contain {@code ]}). */
    private String astringAtom() throws ImapParseException {
        return run(Grammar::isAstringChar, "a string");
    }

    /** A keyword of the grammar such as {@code BODY.PEEK} or {@code HEADER.FIELDS}: letters, digits, dots, dashes. */
    String word() throws ImapParseException {
        return run(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-',
                "a keyword").toUpperCase(java.util.Locale.ROOT);
    }

    String tagToken() throws ImapParseException {
        return run(Grammar::isTagChar, "a tag");
    }

    private interface CharClass {
        boolean test(int c);
    }

    private String run(CharClass chars, String what) throws ImapParseException {
        String s = current();
        int start = pos;
        while (pos < s.length() && chars.test(s.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error("Expected " + what);
        }
        return s.substring(start, pos);
    }

    long number() throws ImapParseException {
        String s = current();
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw error("Expected a number");
        }
        if (pos - start > 19) {
            throw error("Number too large");
        }
        try {
            return Long.parseLong(s, start, pos, 10);
        } catch (NumberFormatException e) {
            throw error("Number too large");
        }
    }

    long nzNumber() throws ImapParseException {
        long n = number();
        if (n == 0) {
            throw error("Expected a number greater than zero");
        }
        return n;
    }

    /** quoted / literal. */
    String string() throws ImapParseException {
        if (atLiteral()) {
            return literalText();
        }
        if (peek() == '"') {
            return quoted();
        }
        throw error("Expected a quoted string or literal");
    }

    /** atom (with {@code ]}) / string. */
    String astring() throws ImapParseException {
        if (atLiteral() || peek() == '"') {
            return string();
        }
        return astringAtom();
    }

    /** NIL / string; null for NIL. */
    String nstring() throws ImapParseException {
        if (!atLiteral() && peek() != '"') {
            String atom = atom();
            if (!atom.equalsIgnoreCase("NIL")) {
                throw error("Expected NIL or a string");
            }
            return null;
        }
        return string();
    }

    /** A LIST pattern: 1*list-char or a string. */
    String listMailbox() throws ImapParseException {
        if (atLiteral() || peek() == '"') {
            return string();
        }
        return run(Grammar::isListChar, "a mailbox pattern");
    }

    /** The literal at the cursor, whatever its size (an APPENDed message). */
    Literal literal() throws ImapParseException {
        if (!atLiteral()) {
            throw error("Expected a literal");
        }
        Literal literal = literals.get(piece);
        piece++;
        pos = 0;
        return literal;
    }

    private String literalText() throws ImapParseException {
        Literal literal = literal();
        if (!literal.inMemory() || literal.size() > MAX_STRING_LITERAL) {
            throw error("String longer than " + MAX_STRING_LITERAL + " bytes");
        }
        byte[] bytes = literal.bytes();
        for (byte b : bytes) {
            if (b == 0) {
                throw error("NUL in a string");
            }
        }
        return decode(bytes);
    }

    private String quoted() throws ImapParseException {
        expect('"');
        String s = current();
        StringBuilder out = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                if (pos == s.length() || (s.charAt(pos) != '"' && s.charAt(pos) != '\\')) {
                    throw error("Only \\\" and \\\\ may be escaped in a quoted string");
                }
                c = s.charAt(pos++);
            } else if (c == '\r' || c == '\n' || c == 0) {
                throw error("CR, LF or NUL in a quoted string");
            }
            out.append(c);
        }
        throw error("Unterminated quoted string");
    }
}

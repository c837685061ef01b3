package mailserver.imap.parse;

import java.util.List;

/**
 * One complete client command as it came in: its text pieces (line endings and literal
 * announcements removed) with the literals between them, {@code text.size() == literals.size() + 1}.
 */
public record RawCommand(List<byte[]> text, List<Literal> literals) implements AutoCloseable {

    public RawCommand {
        text = List.copyOf(text);
        literals = List.copyOf(literals);
        if (text.size() != literals.size() + 1) {
            throw new IllegalArgumentException("text pieces must surround the literals");
        }
    }

    /** Deletes spooled literals. */
    @Override
    public void close() {
        literals.forEach(Literal::close);
    }
}

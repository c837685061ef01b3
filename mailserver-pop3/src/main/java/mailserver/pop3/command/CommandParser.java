package mailserver.pop3.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a command line (RFC 1939 3, RFC 2449 3): a keyword of 3 or 4 printable characters,
 * then arguments separated by single spaces. The line length is capped by the listener's
 * framing before it gets here.
 */
public final class CommandParser {

    /** RFC 2449: arguments may be up to 40 characters; user names and SASL responses are longer in practice. */
    public static final int MAX_ARGUMENTS = 2;

    private CommandParser() {
    }

    /** The command on {@code line} (without its line ending). */
    public static Command parse(String line) throws InvalidCommandException {
        if (line.isEmpty()) {
            throw new InvalidCommandException("Empty command");
        }
        int space = line.indexOf(' ');
        String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        if (keyword.length() < 3 || keyword.length() > 4 || !keyword.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new InvalidCommandException("Unknown command");
        }
        if (space < 0) {
            return new Command(keyword, List.of());
        }
        String rest = line.substring(space + 1);
        if (keyword.equals("USER") || keyword.equals("PASS")) {
            return new Command(keyword, List.of(rest));
        }
        // A trailing space ("CAPA ") is a common client quirk, not an empty argument.
        rest = rest.stripTrailing();
        if (rest.isEmpty()) {
            return new Command(keyword, List.of());
        }
        List<String> arguments = new ArrayList<>(List.of(rest.split(" ", -1)));
        if (arguments.contains("")) {
            throw new InvalidCommandException("Invalid spacing between arguments");
        }
        if (arguments.size() > MAX_ARGUMENTS) {
            throw new InvalidCommandException("Too many arguments");
        }
        return new Command(keyword, arguments);
    }
}

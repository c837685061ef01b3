package mailserver.pop3.command;

import java.util.List;
import java.util.Objects;

/**
 * One POP3 command line: the keyword in upper case and its arguments. For USER and PASS the
 * whole rest of the line is one argument (passwords may contain spaces, as Dovecot allows).
 */
public record Command(String keyword, List<String> arguments) {

    public Command {
        Objects.requireNonNull(keyword, "keyword");
        arguments = List.copyOf(arguments);
    }

    public String argument(int index) {
        return arguments.get(index);
    }

    @Override
    public String toString() {
        // PASS and AUTH responses carry secrets: only the keyword may reach a log line.
        return keyword + (arguments.isEmpty() ? "" : " ...");
    }
}

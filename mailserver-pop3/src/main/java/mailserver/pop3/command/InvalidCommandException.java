package mailserver.pop3.command;

/** A line that is not a command; the message is the reply text after {@code -ERR}. */
public final class InvalidCommandException extends Exception {

    public InvalidCommandException(String message) {
        super(message, null, false, false);
    }
}

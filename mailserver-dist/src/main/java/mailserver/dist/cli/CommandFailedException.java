package mailserver.dist.cli;

/** A failure whose message is already the one line the admin should read. */
final class CommandFailedException extends RuntimeException {

    CommandFailedException(String message) {
        super(message, null, false, false);
    }
}

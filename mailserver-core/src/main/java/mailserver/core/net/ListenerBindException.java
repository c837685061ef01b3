package mailserver.core.net;

/** A listener could not be bound; the message is one line for the admin, naming the config key. */
public final class ListenerBindException extends Exception {

    public ListenerBindException(String message, Throwable cause) {
        super(message, cause);
    }
}

package mailserver.core.tls;

/**
 * A certificate or key that cannot be used. The message is one line meant for the admin: it
 * names the file and what is wrong with it.
 */
public final class TlsException extends Exception {

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}

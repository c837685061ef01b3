package mailserver.smtp.delivery;

/**
 * The directory or the store could not answer a lookup the session is waiting for; unchecked,
 * since the session's interfaces read any unchecked exception as "try again later" ({@code 451 4.3.0}).
 */
final class DirectoryUnavailableException extends RuntimeException {

    DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package mailserver.store;

import java.io.IOException;

/** A failure the protocols answer with a specific reply rather than a server error. */
public class StoreException extends IOException {

    /** What went wrong, so each protocol can pick its reply (IMAP response code, SMTP status). */
    public enum Reason {
        NOT_FOUND, ALREADY_EXISTS, INVALID_NAME, NOT_ALLOWED, NO_SUCH_MESSAGE, KEYWORD_LIMIT, QUOTA_EXCEEDED
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package mailserver.auth.directory;

/** A directory operation that did not happen, with a message an admin can act on. */
public final class DirectoryException extends Exception {

    public enum Kind {
        /** The domain, account or alias named does not exist. */
        NOT_FOUND,
        /** It exists already. */
        DUPLICATE,
        /** The input (or a stored row) is not valid: bad address, negative quota, unknown password scheme. */
        INVALID,
        /** The database cannot be reached or failed; worth retrying later. */
        UNAVAILABLE,
        /** Allowed in general, but not in the current state: e.g. removing a domain that still has accounts. */
        CONFLICT
    }

    private final Kind kind;

    public DirectoryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DirectoryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

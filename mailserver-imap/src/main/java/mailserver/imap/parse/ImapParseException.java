package mailserver.imap.parse;

/**
 * A command that breaks the grammar or a limit. The server answers {@code <tag> BAD <message>}
 * (or {@code * BAD} when not even the tag could be read), with the response code if there is one.
 */
public final class ImapParseException extends Exception {

    private final String tag;
    private final String responseCode;

    public ImapParseException(String tag, String message) {
        this(tag, null, message);
    }

    public ImapParseException(String tag, String responseCode, String message) {
        super(message, null, false, false);
        this.tag = tag;
        this.responseCode = responseCode;
    }

    /** The command's tag, or null when it could not be read. */
    public String tag() {
        return tag;
    }

    /** A response code such as {@code TOOBIG}, or null. */
    public String responseCode() {
        return responseCode;
    }

    ImapParseException withTag(String commandTag) {
        return tag != null || commandTag == null ? this : new ImapParseException(commandTag, responseCode, getMessage());
    }
}

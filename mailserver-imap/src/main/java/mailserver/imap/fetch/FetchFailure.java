package mailserver.imap.fetch;

/** A FETCH item that cannot be answered for a reason the client should hear, such as {@code UNKNOWN-CTE}. */
public final class FetchFailure extends Exception {

    private final String responseCode;

    FetchFailure(String responseCode, String message) {
        super(message, null, false, false);
        this.responseCode = responseCode;
    }

    public String responseCode() {
        return responseCode;
    }
}

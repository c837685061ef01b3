package mailserver.auth.sasl;

/** A SASL exchange that ends without credentials; the message may be shown to the client. */
public final class SaslException extends Exception {

    /** Why, so each protocol can choose its reply. */
    public enum Reason {
        /** The client answered a challenge with {@code *}. */
        CANCELLED,
        /** Not base64, not UTF-8, or not the structure the mechanism expects. */
        MALFORMED,
        /** A response, identity or password over its limit. */
        TOO_LONG,
        /** PLAIN with an authorization identity other than the authentication identity. */
        AUTHZID_MISMATCH
    }

    private final Reason reason;

    SaslException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

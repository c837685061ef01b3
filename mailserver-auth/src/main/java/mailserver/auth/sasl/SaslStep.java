package mailserver.auth.sasl;

/** What follows one client response: another challenge, or the credentials to check. */
public sealed interface SaslStep {

    /** Send this challenge, already base64 (the empty string for an empty challenge). */
    record Challenge(String base64) implements SaslStep {
    }

    /** The exchange is complete; check these credentials. */
    record Complete(Credentials credentials) implements SaslStep {
    }
}

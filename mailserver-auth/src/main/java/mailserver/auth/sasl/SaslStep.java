package mailserver.auth.sasl;

import mailserver.auth.AuthService;

/** What follows one client response: another challenge, or the credentials to check. */
public sealed interface SaslStep {

    /** Send this challenge, already base64 (the empty string for an empty challenge). */
    record Challenge(String base64) implements SaslStep {
    }

    /** The exchange is complete; check these credentials. */
    record Complete(Credentials credentials) implements SaslStep {
    }

    /** The mechanism checked the client itself through {@link AuthService} (SCRAM): this is the outcome. */
    record Verified(AuthService.Result result) implements SaslStep {
    }
}

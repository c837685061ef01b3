package mailserver.auth;

import java.util.Optional;

import mailserver.auth.directory.AccountInfo;
import mailserver.auth.password.ScramCredentials;

/**
 * A SCRAM login between its two steps (from {@link AuthService#scramAttempt}): the credentials
 * the client is challenged with. Whether they are the account's or a decoy stays inside.
 */
public final class ScramAttempt {

    private final String username;
    private final ScramCredentials credentials;
    private final Optional<AccountInfo> account;
    private final boolean unavailable;

    ScramAttempt(String username, ScramCredentials credentials, Optional<AccountInfo> account, boolean unavailable) {
        this.username = username;
        this.credentials = credentials;
        this.account = account;
        this.unavailable = unavailable;
    }

    public ScramCredentials credentials() {
        return credentials;
    }

    String username() {
        return username;
    }

    /** Empty for a decoy: unknown user, disabled account, or a stored hash SCRAM cannot use. */
    Optional<AccountInfo> account() {
        return account;
    }

    /** The directory could not answer, so the credentials are a decoy through no fault of the client. */
    boolean unavailable() {
        return unavailable;
    }
}

package mailserver.auth.directory;

import java.util.Objects;

/**
 * An active account that can log in, with its stored password as the database holds it, for
 * mechanisms that need more than a yes or no (SCRAM). {@link #toString()} leaves the hash out.
 */
public record StoredLogin(AccountInfo account, String hash) {

    public StoredLogin {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(hash, "hash");
    }

    @Override
    public String toString() {
        return "StoredLogin[account=" + account + "]";
    }
}

package mailserver.auth.directory;

import java.util.Optional;

/**
 * The outcome of a login. A failure does not say whether the user or the password was wrong,
 * or whether the account is disabled, so a client cannot probe which accounts exist.
 */
public record AuthResult(Optional<AccountInfo> account) {

    static AuthResult failed() {
        return new AuthResult(Optional.empty());
    }

    static AuthResult succeeded(AccountInfo account) {
        return new AuthResult(Optional.of(account));
    }

    public boolean success() {
        return account.isPresent();
    }
}

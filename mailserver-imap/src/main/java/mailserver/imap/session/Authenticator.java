package mailserver.imap.session;

import java.net.InetAddress;
import java.util.Optional;

import mailserver.auth.directory.AccountInfo;

/**
 * Checks a user name and password (LOGIN, AUTHENTICATE PLAIN/LOGIN). Adapted in the wiring from
 * the directory, e.g. {@code (user, password, client) -> directory.authenticate(user, password.toCharArray()).account()},
 * or from the auth module's AuthService, which also throttles failures. Called on a worker
 * thread; may block. An exception means "cannot tell now": {@code NO [UNAVAILABLE]}.
 */
@FunctionalInterface
public interface Authenticator {

    /** @return the account, or empty for wrong credentials or a disabled account */
    Optional<AccountInfo> authenticate(String username, String password, InetAddress client) throws Exception;
}

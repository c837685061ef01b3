package mailserver.smtp.session;

import java.net.InetAddress;

import mailserver.auth.AuthService;

/**
 * Checks the user name and password of AUTH PLAIN or LOGIN: in the server, the auth module's
 * {@link AuthService} (which slows down and throttles failures per client address and account,
 * and writes the audit log); in tests, a fake. Called on a worker thread, may block; it must not
 * sleep: the delay a failure deserves comes back in the result and the connection waits it out
 * without holding a thread. An unchecked exception means "cannot tell now": {@code 454 4.7.0}.
 */
public interface Authenticator {

    /** @param password wiped before this returns */
    AuthService.Result authenticate(String username, char[] password, InetAddress client);
}

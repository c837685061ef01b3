package mailserver.smtp.session;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Checks the user name and password of AUTH PLAIN or LOGIN; adapted from the auth module's
 * service, which also slows down and throttles failures per client address. Called on a worker
 * thread, may block. An unchecked exception means "cannot tell now": {@code 454 4.7.0}.
 */
public interface Authenticator {

    /** @return the canonical identity of the user (e.g. its address), or empty for wrong credentials */
    Optional<String> authenticate(String username, String password, InetAddress client);
}

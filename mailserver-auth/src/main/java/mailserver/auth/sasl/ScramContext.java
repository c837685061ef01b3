package mailserver.auth.sasl;

import java.net.InetAddress;
import java.util.Objects;

import mailserver.auth.AuthService;

/**
 * What a SCRAM exchange needs from its connection: SCRAM checks the client's proof inside the
 * exchange rather than handing a password back, so it logs in through {@link AuthService} itself.
 *
 * @param protocol for the audit log: {@code imap}, ...
 */
public record ScramContext(AuthService auth, InetAddress client, String protocol) {

    public ScramContext {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(protocol, "protocol");
    }
}

package mailserver.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The default {@code server.hostname}: this machine's canonical (fully qualified) name, as
 * Postfix's {@code myhostname} defaults to. Falls back to the plain host name when the
 * resolver only knows the address, and to {@code localhost} when there is no name at all.
 */
final class LocalHostName {

    static final String FALLBACK = "localhost";

    private LocalHostName() {
    }

    static String find() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            return usable(local.getCanonicalHostName())
                    .or(() -> usable(local.getHostName()))
                    .orElse(FALLBACK);
        } catch (UnknownHostException e) {
            return FALLBACK;
        }
    }

    /** getCanonicalHostName answers with the address itself when reverse lookup fails. */
    private static Optional<String> usable(String name) {
        try {
            return HostNames.ipLiteral(name).isPresent() ? Optional.empty() : Optional.of(HostNames.hostname(name));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }
}

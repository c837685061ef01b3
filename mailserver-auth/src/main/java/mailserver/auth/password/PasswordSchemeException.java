package mailserver.auth.password;

/**
 * A stored password this server cannot check: an unknown {@code {SCHEME}}, or a hash that does
 * not have its scheme's format. This is a problem of the stored data, never a wrong password,
 * so callers report it to the admin instead of to the client.
 */
public final class PasswordSchemeException extends Exception {

    PasswordSchemeException(String message) {
        super(message);
    }
}

package mailserver.auth.password;

/** One of Dovecot's password schemes; the {@code {NAME}} prefix is already removed. */
interface PasswordScheme {

    /** Whether {@code password} produces {@code encoded}, compared in constant time. */
    boolean matches(byte[] password, String encoded) throws PasswordSchemeException;

    /** A new hash of {@code password} with a fresh random salt, without the prefix. */
    String encode(byte[] password);
}

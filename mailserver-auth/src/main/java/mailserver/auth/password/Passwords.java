package mailserver.auth.password;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies stored passwords in every format Dovecot writes, and hashes new ones.
 *
 * <p>Stored values are {@code {SCHEME}encoded} (scheme names case-insensitive, as in Dovecot),
 * or bare crypt strings recognised by their prefix ({@code $1$ $5$ $6$ $2a$ $2b$ $2y$
 * $argon2i$ $argon2id$}), which PostfixAdmin writes without a scheme.
 *
 * <p>New passwords get {@value #DEFAULT_SCHEME} with cost {@value #BCRYPT_COST}. Why bcrypt and
 * not Argon2id: every Dovecot 2.3 build verifies BLF-CRYPT (it carries its own bcrypt), while
 * ARGON2* exists only where Dovecot was built with libsodium, so an admin can always go back to
 * Dovecot with the same table; bcrypt needs 4 KiB per check where Argon2id's usual 64 MiB, in
 * pure Java, would let a burst of logins exhaust the heap; PostfixAdmin and Roundcube write and
 * read it too. Cost 12 is OWASP's recommendation for bcrypt, about a quarter second here: slow for
 * an offline attacker, cheap enough for a login on the worker pool. All of this is CPU-bound and
 * blocking: call it from a worker thread, never from an event loop.
 */
public final class Passwords {

    public static final String DEFAULT_SCHEME = "BLF-CRYPT";
    static final int BCRYPT_COST = 12;

    private static final int MAX_STORED_LENGTH = 2048;
    private static final Pattern PREFIXED = Pattern.compile("\\{([A-Za-z0-9._-]{1,32})\\}(.*)", Pattern.DOTALL);
    private static final PasswordScheme SHA256_CRYPT = ShaCrypt.sha256();
    private static final PasswordScheme SHA512_CRYPT = ShaCrypt.sha512();
    private static final PasswordScheme BLF_CRYPT = new Bcrypt(BCRYPT_COST);
    private static final PasswordScheme MD5_CRYPT = new Md5Crypt();
    private static final PasswordScheme ARGON2I = Argon2.argon2i();
    private static final PasswordScheme ARGON2ID = Argon2.argon2id();
    private static final PasswordScheme PLAIN = new Plain();
    private static final Map<String, PasswordScheme> SCHEMES = Map.ofEntries(
            Map.entry("SHA512-CRYPT", SHA512_CRYPT),
            Map.entry("SHA256-CRYPT", SHA256_CRYPT),
            Map.entry("BLF-CRYPT", BLF_CRYPT),
            Map.entry("MD5-CRYPT", MD5_CRYPT),
            Map.entry("MD5", MD5_CRYPT), // Dovecot's {MD5} is MD5-CRYPT, not a plain digest
            Map.entry("ARGON2I", ARGON2I),
            Map.entry("ARGON2ID", ARGON2ID),
            Map.entry("SSHA512", new SaltedDigest("SHA-512", 64)),
            Map.entry("SSHA256", new SaltedDigest("SHA-256", 32)),
            Map.entry("SSHA", new SaltedDigest("SHA-1", 20)),
            Map.entry("SCRAM-SHA-256", new ScramSha256()),
            Map.entry("PLAIN", PLAIN),
            Map.entry("CLEARTEXT", PLAIN),
            Map.entry("CLEAR", PLAIN));
    /** Names {@link #hash(String, char[])} accepts: aliases and the CRYPT catch-all left out. */
    private static final Set<String> WRITABLE = Set.of("SHA512-CRYPT", "SHA256-CRYPT", "BLF-CRYPT", "MD5-CRYPT",
            "ARGON2I", "ARGON2ID", "SSHA512", "SSHA256", "SSHA", "SCRAM-SHA-256", "PLAIN");

    private Passwords() {
    }

    /**
     * Whether {@code password} matches {@code stored}. The comparison is constant-time.
     *
     * @throws PasswordSchemeException the stored value is in a scheme this server does not know,
     *                                 or is not valid for its scheme: a data problem to log, not a wrong password
     */
    public static boolean verify(char[] password, String stored) throws PasswordSchemeException {
        if (stored == null || stored.isEmpty()) {
            throw new PasswordSchemeException("the stored password is empty");
        }
        if (stored.length() > MAX_STORED_LENGTH) {
            throw new PasswordSchemeException("the stored password is longer than " + MAX_STORED_LENGTH + " characters");
        }
        Matcher m = PREFIXED.matcher(stored);
        PasswordScheme scheme;
        String encoded;
        if (m.matches()) {
            String name = m.group(1).toUpperCase(Locale.ROOT);
            encoded = m.group(2);
            scheme = name.equals("CRYPT") ? byCryptPrefix(encoded, "{CRYPT}") : SCHEMES.get(name);
            if (scheme == null) {
                throw new PasswordSchemeException("unknown password scheme {" + m.group(1) + "}; supported: "
                        + String.join(", ", WRITABLE) + ", CRYPT, MD5, CLEARTEXT, CLEAR");
            }
        } else {
            encoded = stored;
            scheme = byCryptPrefix(stored, "without a {SCHEME} prefix");
        }
        byte[] bytes = utf8(password);
        try {
            return scheme.matches(bytes, encoded);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * The SCRAM-SHA-256 credentials of a stored password, as Dovecot finds them: a
     * {@code {SCRAM-SHA-256}} value holds them; a plaintext one ({@code PLAIN}, {@code CLEAR},
     * {@code CLEARTEXT}) yields them with {@code plaintextSalt} and the default iteration count;
     * every other scheme is a one-way hash they cannot come from, so the result is empty.
     *
     * @throws PasswordSchemeException a {@code {SCRAM-SHA-256}} value that is not valid
     */
    public static Optional<ScramCredentials> scramCredentials(String stored, byte[] plaintextSalt) throws PasswordSchemeException {
        Matcher m = PREFIXED.matcher(stored == null ? "" : stored);
        if (!m.matches() || stored.length() > MAX_STORED_LENGTH) {
            return Optional.empty();
        }
        String name = m.group(1).toUpperCase(Locale.ROOT);
        if (name.equals("SCRAM-SHA-256")) {
            return Optional.of(ScramCredentials.decode(m.group(2)));
        }
        if (SCHEMES.get(name) != PLAIN) {
            return Optional.empty();
        }
        byte[] password = m.group(2).getBytes(StandardCharsets.UTF_8);
        try {
            return Optional.of(ScramCredentials.derive(password, plaintextSalt, ScramCredentials.DEFAULT_ITERATIONS));
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /** A new {@code {BLF-CRYPT}} hash of {@code password}; see the class comment for why. */
    public static String hash(char[] password) {
        return encode(DEFAULT_SCHEME, BLF_CRYPT, password);
    }

    /**
     * A new hash in the named scheme, e.g. to match what other tools on the host expect.
     *
     * @throws PasswordSchemeException the scheme is unknown
     */
    public static String hash(String scheme, char[] password) throws PasswordSchemeException {
        String name = scheme.toUpperCase(Locale.ROOT);
        if (!WRITABLE.contains(name)) {
            throw new PasswordSchemeException("cannot write password scheme " + scheme + "; choose one of " + String.join(", ", WRITABLE));
        }
        return encode(name, SCHEMES.get(name), password);
    }

    private static String encode(String name, PasswordScheme scheme, char[] password) {
        byte[] bytes = utf8(password);
        try {
            return "{" + name + "}" + scheme.encode(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The crypt(3) family is recognised by its {@code $id$}; this is how Dovecot's CRYPT reads it too. */
    private static PasswordScheme byCryptPrefix(String encoded, String context) throws PasswordSchemeException {
        if (encoded.startsWith("$1$")) {
            return MD5_CRYPT;
        } else if (encoded.startsWith("$5$")) {
            return SHA256_CRYPT;
        } else if (encoded.startsWith("$6$")) {
            return SHA512_CRYPT;
        } else if (encoded.startsWith("$2a$") || encoded.startsWith("$2b$") || encoded.startsWith("$2y$")) {
            return BLF_CRYPT;
        } else if (encoded.startsWith("$argon2id$")) {
            return ARGON2ID;
        } else if (encoded.startsWith("$argon2i$")) {
            return ARGON2I;
        }
        throw new PasswordSchemeException("unknown password format " + context
                + " (not $1$, $5$, $6$, $2y$/$2a$/$2b$ or $argon2...; DES crypt is not supported)");
    }

    /** UTF-8 without going through a String, so the caller can wipe the result. */
    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }
}

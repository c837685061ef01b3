package mailserver.auth;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import mailserver.auth.directory.AccountInfo;
import mailserver.auth.directory.AuthResult;
import mailserver.auth.directory.Directory;
import mailserver.auth.directory.DirectoryException;
import mailserver.auth.directory.StoredLogin;
import mailserver.auth.password.PasswordSchemeException;
import mailserver.auth.password.Passwords;
import mailserver.auth.password.ScramCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks logins for every protocol: the {@link Directory} decides whether the password is
 * right, the {@link LoginThrottle} slows down and locks out guessing, and each attempt leaves
 * one line in the audit log (logger {@value #AUDIT_LOGGER}: user, address, protocol, result;
 * never the password).
 *
 * <p>{@link #authenticate} blocks on the database and on password hashing: call it on a worker
 * thread. It never sleeps: the delay a failure deserves comes back in {@link Result#replyDelay()}
 * and the protocol schedules its reply that much later on its event loop.
 */
public final class AuthService {

    public static final String AUDIT_LOGGER = "mailserver.audit";

    private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
    private static final int MAX_LOGGED_USERNAME = 128;
    private static final int SCRAM_SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How an attempt ended. */
    public enum Outcome {
        SUCCESS,
        /** Wrong user name or password, or a disabled account: the client is not told which. */
        FAILED,
        /** Too many recent failures for this address or account; the password was not checked. */
        LOCKED_OUT,
        /** The directory cannot answer now (database down, unusable stored hash); try again later. */
        UNAVAILABLE
    }

    /**
     * @param account    the account logged in to, for {@link Outcome#SUCCESS} only
     * @param replyDelay how long the protocol should wait before it answers; zero for success
     */
    public record Result(Outcome outcome, Optional<AccountInfo> account, Duration replyDelay) {

        public Result {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(replyDelay, "replyDelay");
        }

        public boolean success() {
            return outcome == Outcome.SUCCESS;
        }
    }

    private final Directory directory;
    private final LoginThrottle throttle;
    /** Per process: decoy salts are stable for a name (a probe sees no difference between tries) but unpredictable. */
    private final byte[] decoySaltKey = new byte[32];

    public AuthService(Directory directory, LoginThrottle throttle) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        RANDOM.nextBytes(decoySaltKey);
    }

    /**
     * Checks one login. The password array is wiped before this returns.
     *
     * @param protocol for the audit log: {@code smtp}, {@code imap}, {@code pop3}
     */
    public Result authenticate(String username, char[] password, InetAddress client, String protocol) {
        try {
            if (throttle.lockedOut(username, client)) {
                return lockedOut(username, client, protocol);
            }
            AuthResult checked;
            try {
                checked = directory.authenticate(username, password);
            } catch (DirectoryException e) {
                LOG.warn("cannot check the login of {}: {}", printable(username), e.getMessage());
                audit(username, client, protocol, "unavailable");
                return new Result(Outcome.UNAVAILABLE, Optional.empty(), Duration.ZERO);
            }
            return concluded(username, checked.account(), client, protocol);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * SCRAM's first step: the credentials to challenge {@code username} with. Blocks on the
     * directory. Unknown users, disabled accounts, accounts whose stored hash is one-way (bcrypt,
     * crypt, ...) and a directory that cannot answer all get a decoy (RFC 5802 section 5.1), so the
     * exchange goes on and fails at the proof like a wrong password, revealing nothing.
     */
    public ScramAttempt scramAttempt(String username) {
        byte[] salt = Arrays.copyOf(ScramCredentials.hmac(decoySaltKey, username.getBytes(StandardCharsets.UTF_8)), SCRAM_SALT_BYTES);
        try {
            Optional<StoredLogin> login = directory.findLogin(username);
            if (login.isPresent()) {
                Optional<ScramCredentials> credentials = Passwords.scramCredentials(login.get().hash(), salt);
                if (credentials.isPresent()) {
                    return new ScramAttempt(username, credentials.get(), Optional.of(login.get().account()), false);
                }
            }
            return decoy(username, salt, false);
        } catch (DirectoryException e) {
            LOG.warn("cannot look up the SCRAM credentials of {}: {}", printable(username), e.getMessage());
        } catch (PasswordSchemeException e) {
            LOG.error("account {} cannot log in with SCRAM: its stored password cannot be read: {}", printable(username), e.getMessage());
        }
        return decoy(username, salt, true);
    }

    /**
     * SCRAM's second step: {@code proof} tells whether the client's proof matches the attempt's
     * credentials (constant time). Throttled and audited like a password login.
     */
    public Result authenticate(ScramAttempt attempt, Predicate<ScramCredentials> proof, InetAddress client, String protocol) {
        String username = attempt.username();
        if (throttle.lockedOut(username, client)) {
            return lockedOut(username, client, protocol);
        }
        // Tested for decoys too, so they cost the same time as real accounts.
        boolean verified = proof.test(attempt.credentials());
        if (attempt.unavailable()) {
            audit(username, client, protocol, "unavailable");
            return new Result(Outcome.UNAVAILABLE, Optional.empty(), Duration.ZERO);
        }
        return concluded(username, verified ? attempt.account() : Optional.empty(), client, protocol);
    }

    private Result lockedOut(String username, InetAddress client, String protocol) {
        audit(username, client, protocol, "locked-out");
        return new Result(Outcome.LOCKED_OUT, Optional.empty(), throttle.settings().maxDelay());
    }

    /** A checked login: the account on success, empty on failure. */
    private Result concluded(String username, Optional<AccountInfo> account, InetAddress client, String protocol) {
        if (account.isPresent()) {
            throttle.succeeded(username);
            audit(username, client, protocol, "success");
            return new Result(Outcome.SUCCESS, account, Duration.ZERO);
        }
        Duration delay = throttle.failed(username, client);
        audit(username, client, protocol, "failure");
        return new Result(Outcome.FAILED, Optional.empty(), delay);
    }

    private static ScramAttempt decoy(String username, byte[] salt, boolean unavailable) {
        byte[] storedKey = new byte[32];
        byte[] serverKey = new byte[32];
        RANDOM.nextBytes(storedKey);
        RANDOM.nextBytes(serverKey);
        return new ScramAttempt(username, new ScramCredentials(ScramCredentials.DEFAULT_ITERATIONS, salt, storedKey, serverKey),
                Optional.empty(), unavailable);
    }

    private static void audit(String username, InetAddress client, String protocol, String result) {
        AUDIT.info("login: user=<{}>, ip=[{}], protocol={}, result={}",
                printable(username), client.getHostAddress(), protocol, result);
    }

    /** The user name as the client sent it, cut short and with control characters replaced, so it cannot forge log lines. */
    private static String printable(String username) {
        String cut = username.length() > MAX_LOGGED_USERNAME ? username.substring(0, MAX_LOGGED_USERNAME) + "..." : username;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}

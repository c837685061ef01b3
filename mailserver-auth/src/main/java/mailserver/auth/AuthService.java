package mailserver.auth;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import mailserver.auth.directory.AccountInfo;
import mailserver.auth.directory.AuthResult;
import mailserver.auth.directory.Directory;
import mailserver.auth.directory.DirectoryException;
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

    public AuthService(Directory directory, LoginThrottle throttle) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    /**
     * Checks one login. The password array is wiped before this returns.
     *
     * @param protocol for the audit log: {@code smtp}, {@code imap}, {@code pop3}
     */
    public Result authenticate(String username, char[] password, InetAddress client, String protocol) {
        try {
            if (throttle.lockedOut(username, client)) {
                audit(username, client, protocol, "locked-out");
                return new Result(Outcome.LOCKED_OUT, Optional.empty(), throttle.settings().maxDelay());
            }
            AuthResult checked;
            try {
                checked = directory.authenticate(username, password);
            } catch (DirectoryException e) {
                LOG.warn("cannot check the login of {}: {}", printable(username), e.getMessage());
                audit(username, client, protocol, "unavailable");
                return new Result(Outcome.UNAVAILABLE, Optional.empty(), Duration.ZERO);
            }
            if (checked.success()) {
                throttle.succeeded(username);
                audit(username, client, protocol, "success");
                return new Result(Outcome.SUCCESS, checked.account(), Duration.ZERO);
            }
            Duration delay = throttle.failed(username, client);
            audit(username, client, protocol, "failure");
            return new Result(Outcome.FAILED, Optional.empty(), delay);
        } finally {
            Arrays.fill(password, '\0');
        }
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

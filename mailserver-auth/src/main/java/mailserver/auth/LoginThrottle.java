package mailserver.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Counts failed logins per client address and per account name, to slow down and then stop
 * password guessing. Each failure makes the reply wait longer (2 s, 4 s, 8 s, ... up to the
 * maximum: Dovecot waits a fixed {@code auth_failure_delay = 2s}); after too many failures with
 * less than {@link Settings#window()} between them, attempts are refused without checking the
 * password until a whole window passes without a new failure. Refused attempts do not extend
 * the window. IPv6 clients are counted per /64, since one host usually holds a whole /64.
 *
 * <p>The per-account limit is higher than the per-address one: anyone can lock an account out,
 * so it only stops guessing spread over many addresses. A successful login clears its account's
 * count (not its address's). Counts live in memory only, bounded in size.
 */
public final class LoginThrottle {

    /**
     * @param firstDelay            how long the reply to the first failure waits; doubles with each further failure
     * @param maxDelay              the longest wait, also used for refused attempts
     * @param maxFailuresPerAddress failures from one address (IPv6: /64) before it is locked out
     * @param maxFailuresPerAccount failures for one account name before it is locked out
     * @param window                how long a count lasts after its last failure (and so how long a lockout lasts)
     */
    public record Settings(Duration firstDelay, Duration maxDelay, int maxFailuresPerAddress, int maxFailuresPerAccount,
                           Duration window) {

        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(15), 10, 30,
                Duration.ofMinutes(15));

        public Settings {
            if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("need 0 <= firstDelay <= maxDelay: " + firstDelay + ", " + maxDelay);
            }
            if (maxFailuresPerAddress <= 0 || maxFailuresPerAccount <= 0) {
                throw new IllegalArgumentException("failure limits must be positive");
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive: " + window);
            }
        }
    }

    private static final long MAX_TRACKED = 200_000;
    private static final int MAX_ACCOUNT_KEY = 320;

    private final Settings settings;
    private final Cache<String, Integer> failures;

    public LoginThrottle(Settings settings) {
        this(settings, Ticker.systemTicker());
    }

    LoginThrottle(Settings settings, Ticker ticker) {
        this.settings = settings;
        this.failures = Caffeine.newBuilder()
                .expireAfterWrite(settings.window())
                .maximumSize(MAX_TRACKED)
                .ticker(ticker)
                .build();
    }

    Settings settings() {
        return settings;
    }

    /** True when attempts for {@code username} or from {@code client} are refused for now. */
    boolean lockedOut(String username, InetAddress client) {
        return count(addressKey(client)) >= settings.maxFailuresPerAddress()
                || count(accountKey(username)) >= settings.maxFailuresPerAccount();
    }

    /** Counts a failure and returns how long the reply to it should wait. */
    Duration failed(String username, InetAddress client) {
        int byAddress = failures.asMap().merge(addressKey(client), 1, Integer::sum);
        int byAccount = failures.asMap().merge(accountKey(username), 1, Integer::sum);
        return delayAfter(Math.max(byAddress, byAccount));
    }

    void succeeded(String username) {
        failures.invalidate(accountKey(username));
    }

    private Duration delayAfter(int failureCount) {
        Duration delay = settings.firstDelay();
        for (int i = 1; i < failureCount && delay.compareTo(settings.maxDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
    }

    private int count(String key) {
        Integer count = failures.getIfPresent(key);
        return count == null ? 0 : count;
    }

    private static String accountKey(String username) {
        String key = username.strip().toLowerCase(Locale.ROOT);
        return "user:" + (key.length() > MAX_ACCOUNT_KEY ? key.substring(0, MAX_ACCOUNT_KEY) : key);
    }

    private static String addressKey(InetAddress client) {
        byte[] bytes = client.getAddress();
        if (client instanceof Inet6Address) {
            bytes = Arrays.copyOf(bytes, 8);
        }
        return "ip:" + HexFormat.of().formatHex(bytes);
    }
}

package mailserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    static final LoginThrottle.Settings SETTINGS =
            new LoginThrottle.Settings(Duration.ofSeconds(2), Duration.ofSeconds(15), 3, 5, Duration.ofMinutes(15));

    final AtomicLong nanos = new AtomicLong();
    final LoginThrottle throttle = new LoginThrottle(SETTINGS, nanos::get);

    static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void eachFailureWaitsTwiceAsLongUpToTheMaximum() throws Exception {
        InetAddress client = ip("192.0.2.1");
        LoginThrottle lenient = new LoginThrottle(new LoginThrottle.Settings(Duration.ofSeconds(2), Duration.ofSeconds(15),
                100, 100, Duration.ofMinutes(15)), nanos::get);

        assertThat(lenient.failed("alice", client)).isEqualTo(Duration.ofSeconds(2));
        assertThat(lenient.failed("alice", client)).isEqualTo(Duration.ofSeconds(4));
        assertThat(lenient.failed("alice", client)).isEqualTo(Duration.ofSeconds(8));
        assertThat(lenient.failed("alice", client)).isEqualTo(Duration.ofSeconds(15));
        assertThat(lenient.failed("alice", client)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void anAddressIsLockedOutAfterTooManyFailuresUntilAWindowPassesWithoutOne() throws Exception {
        InetAddress client = ip("192.0.2.1");
        for (String user : new String[] {"a", "b", "c"}) {
            assertThat(throttle.lockedOut(user, client)).isFalse();
            throttle.failed(user, client);
        }

        assertThat(throttle.lockedOut("d", client)).isTrue();
        assertThat(throttle.lockedOut("d", ip("192.0.2.2"))).isFalse();
        advance(Duration.ofMinutes(14));
        assertThat(throttle.lockedOut("d", client)).as("refused attempts do not extend the lockout").isTrue();
        advance(Duration.ofMinutes(2));
        assertThat(throttle.lockedOut("d", client)).isFalse();
    }

    @Test
    void anAccountIsLockedOutAfterFailuresFromManyAddresses() throws Exception {
        for (int i = 1; i <= 5; i++) {
            throttle.failed("Alice@Example.test", ip("198.51.100." + i));
        }

        assertThat(throttle.lockedOut("alice@example.test", ip("203.0.113.9"))).isTrue();
        assertThat(throttle.lockedOut("bob@example.test", ip("203.0.113.9"))).isFalse();
    }

    @Test
    void successClearsTheAccountCountOnly() throws Exception {
        InetAddress client = ip("192.0.2.1");
        throttle.failed("alice", client);
        throttle.failed("alice", client);
        throttle.succeeded("alice");

        assertThat(throttle.failed("alice", ip("192.0.2.7"))).as("first failure for the account again").isEqualTo(Duration.ofSeconds(2));
        throttle.failed("bob", client);
        assertThat(throttle.lockedOut("carol", client)).as("the address kept its count").isTrue();
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws Exception {
        for (int i = 1; i <= 3; i++) {
            throttle.failed("u" + i, ip("2001:db8:1:2::" + i));
        }

        assertThat(throttle.lockedOut("x", ip("2001:db8:1:2:ffff::1"))).isTrue();
        assertThat(throttle.lockedOut("x", ip("2001:db8:1:3::1"))).isFalse();
    }
}

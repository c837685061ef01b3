package mailserver.auth;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need something from outside the JVM (doveadm, a MariaDB server) skip with a reason
 * on a developer's machine that lacks it, but fail in CI, where its absence is a broken setup.
 */
public final class ExternalResource {

    private ExternalResource() {
    }

    public static void require(boolean available, String what) {
        if (available) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(what + " is missing, and CI=true requires it");
        }
        Assumptions.abort(what + " is missing; skipped (CI=true would fail instead)");
    }
}

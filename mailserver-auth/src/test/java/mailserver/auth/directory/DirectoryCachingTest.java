package mailserver.auth.directory;

import static mailserver.auth.directory.DirectoryContract.a;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import mailserver.auth.password.Passwords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A long TTL, so anything served after a direct database change can only have come from the cache. */
class DirectoryCachingTest {

    private TestDatabase database;
    private JdbcDirectory dir;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabase.h2();
        dir = JdbcDirectory.open(database.config(true, Duration.ofHours(1)));
        dir.addDomain("example.test", "");
        dir.addAccount(a("alice@example.test"), "old".toCharArray(), 0, "");
    }

    @AfterEach
    void close() throws Exception {
        dir.close();
        database.close();
    }

    @Test
    void aChangedPasswordIsCheckedAgainstTheDatabaseNotTheCache() throws Exception {
        assertThat(dir.authenticate("alice@example.test", "old".toCharArray()).success()).isTrue();
        database.sql("UPDATE mailbox SET password = ? WHERE username = ?", Passwords.hash("PLAIN", "new".toCharArray()), "alice@example.test");
        assertThat(dir.authenticate("alice@example.test", "new".toCharArray()).success()).as("new password misses the cache").isTrue();
        assertThat(dir.authenticate("alice@example.test", "old".toCharArray()).success()).as("old one still cached, like Dovecot's auth cache").isTrue();
        dir.setPassword(a("alice@example.test"), "newest".toCharArray());
        assertThat(dir.authenticate("alice@example.test", "old".toCharArray()).success()).as("admin write in this process clears the cache").isFalse();
        assertThat(dir.authenticate("alice@example.test", "new".toCharArray()).success()).isFalse();
        assertThat(dir.authenticate("alice@example.test", "newest".toCharArray()).success()).isTrue();
    }

    @Test
    void failedLoginsAreNotCached() throws Exception {
        assertThat(dir.authenticate("alice@example.test", "later".toCharArray()).success()).isFalse();
        database.sql("UPDATE mailbox SET password = ? WHERE username = ?", "{PLAIN}later", "alice@example.test");
        assertThat(dir.authenticate("alice@example.test", "later".toCharArray()).success()).isTrue();
    }

    @Test
    void lookupsAreCachedUntilAnAdminWrite() throws Exception {
        assertThat(dir.resolve(a("team@example.test")).status()).isEqualTo(Resolution.Status.UNKNOWN_USER);
        database.sql("INSERT INTO alias (address, goto, domain, active) VALUES (?, ?, ?, 1)", "team@example.test", "alice@example.test", "example.test");
        assertThat(dir.resolve(a("team@example.test")).status()).as("cached").isEqualTo(Resolution.Status.UNKNOWN_USER);
        dir.addAlias("other@example.test", List.of("alice@example.test"));
        assertThat(dir.resolve(a("team@example.test")).status()).isEqualTo(Resolution.Status.LOCAL);
        assertThat(dir.isLocalDomain("example.test")).isTrue();
        database.sql("UPDATE domain SET active = 0");
        assertThat(dir.isLocalDomain("example.test")).as("cached").isTrue();
    }

    @Test
    void aZeroTtlCachesNothing() throws Exception {
        try (JdbcDirectory uncached = JdbcDirectory.open(database.config(true, Duration.ZERO))) {
            assertThat(uncached.authenticate("alice@example.test", "old".toCharArray()).success()).isTrue();
            database.sql("UPDATE mailbox SET password = ? WHERE username = ?", "{PLAIN}x", "alice@example.test");
            assertThat(uncached.authenticate("alice@example.test", "old".toCharArray()).success()).isFalse();
        }
    }
}

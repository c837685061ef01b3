package mailserver.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin round trip an admin does with the {@code mailserver} command: domain, user and
 * alias added, listed, changed, removed; and the one-line errors. Once against the embedded
 * H2 directory, once against the MariaDB server on 127.0.0.1:3306.
 */
class DirectoryCommandsTest {

    private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";

    abstract static class RoundTrip {

        abstract Path config();

        private CliRun run(String... args) {
            return CliRun.of(withConfig(args));
        }

        private String[] withConfig(String... args) {
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--config";
            all[args.length + 1] = config().toString();
            return all;
        }

        @Test
        void domainUserAndAliasAddedListedChangedRemoved() throws Exception {
            assertThat(run("domain", "add", "example.test", "--description", "test domain").exitCode()).isZero();
            assertThat(run("domain", "list").out()).contains("example.test").contains("test domain");

            CliRun added = CliRun.withStdin("s3cret pass\n",
                    withConfig("user", "add", "alice@example.test", "--password-stdin", "--quota", "1G", "--name", "Alice A"));
            assertThat(added.exitCode()).as(added.err()).isZero();
            assertThat(added.out()).contains("added account alice@example.test");
            assertThat(authenticates("alice@example.test", "s3cret pass")).isTrue();

            CliRun users = run("user", "list", "example.test");
            assertThat(users.out()).contains("alice@example.test").contains("Alice A").contains("1G")
                    .contains("example.test/alice/");

            assertThat(CliRun.withStdin("n3w\n", withConfig("user", "passwd", "alice@example.test", "--password-stdin"))
                    .exitCode()).isZero();
            assertThat(authenticates("alice@example.test", "n3w")).isTrue();
            assertThat(authenticates("alice@example.test", "s3cret pass")).isFalse();

            assertThat(run("user", "quota", "alice@example.test", "2G").exitCode()).isZero();
            assertThat(run("user", "list").out()).contains("2G");

            assertThat(run("alias", "add", "postmaster@example.test", "alice@example.test,help@remote.test").exitCode())
                    .isZero();
            assertThat(run("alias", "list", "example.test").out())
                    .contains("postmaster@example.test").contains("alice@example.test,help@remote.test");
            assertThat(run("domain", "list").out()).containsPattern("example\\.test\\s+1\\s+1\\s+yes");

            CliRun stillUsed = run("domain", "remove", "example.test");
            assertThat(stillUsed.exitCode()).isEqualTo(1);
            assertThat(stillUsed.err()).contains("example.test");

            assertThat(run("alias", "remove", "postmaster@example.test").exitCode()).isZero();
            assertThat(run("alias", "list").out()).doesNotContain("postmaster@example.test");
            assertThat(run("user", "remove", "alice@example.test").out()).contains("Maildir was kept");
            assertThat(run("user", "list").out()).doesNotContain("alice@example.test");
            assertThat(run("domain", "remove", "example.test").exitCode()).isZero();
            assertThat(run("domain", "list").out()).doesNotContain("example.test");
        }

        @Test
        void mistakesAreOneLineOnStderrAndExitOne() {
            assertThat(run("domain", "add", "errors.test").exitCode()).isZero();

            assertOneLineError(run("domain", "add", "errors.test"), "already exists");
            assertOneLineError(CliRun.withStdin("pw\n",
                    withConfig("user", "add", "bob@nowhere.test", "--password-stdin")), "nowhere.test");
            assertOneLineError(CliRun.withStdin("pw\n",
                    withConfig("user", "add", "not-an-address", "--password-stdin")), "not-an-address");
            assertOneLineError(CliRun.withStdin("pw\n",
                    withConfig("user", "add", "carol@errors.test", "--password-stdin", "--quota", "lots")), "lots");
            assertThat(CliRun.withStdin("pw\n",
                    withConfig("user", "add", "carol@errors.test", "--password-stdin")).exitCode()).isZero();
            assertOneLineError(CliRun.withStdin("pw\n",
                    withConfig("user", "add", "carol@errors.test", "--password-stdin")), "already exists");
            assertOneLineError(CliRun.withStdin("\n",
                    withConfig("user", "passwd", "carol@errors.test", "--password-stdin")), "empty password");
            assertOneLineError(run("user", "remove", "dave@errors.test"), "dave@errors.test");
            assertOneLineError(run("alias", "remove", "nobody@errors.test"), "nobody@errors.test");
        }

        private boolean authenticates(String user, String password) throws Exception {
            try (JdbcDirectory directory = JdbcDirectory.open(ConfigLoader.load(config()).directory())) {
                return directory.authenticate(user, password.toCharArray()).success();
            }
        }
    }

    static void assertOneLineError(CliRun run, String mentioned) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("mailserver: ").contains(mentioned).doesNotContain("\n\tat ");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Nested
    class WithEmbeddedH2 extends RoundTrip {

        @TempDir
        Path folder;

        @Override
        Path config() {
            Path file = folder.resolve("mailserver.yml");
            if (!Files.exists(file)) {
                write(file, "server:\n  hostname: mail.example.test\n  data-dir: ./data\n");
            }
            return file;
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithMariaDb extends RoundTrip {

        private final String database = "mailserver_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

        @TempDir
        Path folder;

        @BeforeAll
        void createDatabase() {
            try (Connection connection = DriverManager.getConnection(MARIADB, "root", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                String why = "MariaDB on 127.0.0.1:3306 unreachable (" + e.getMessage() + ")";
                if ("true".equals(System.getenv("CI"))) {
                    throw new AssertionError(why + ": CI must run the MariaDB tests", e);
                }
                assumeTrue(false, why + ": MariaDB CLI tests skipped");
            }
        }

        @AfterAll
        void dropDatabase() throws SQLException {
            try (Connection connection = DriverManager.getConnection(MARIADB, "root", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database);
            } catch (SQLException e) {
                // nothing was created
            }
        }

        @Override
        Path config() {
            Path file = folder.resolve("mailserver.yml");
            if (!Files.exists(file)) {
                write(file, "server:\n  hostname: mail.example.test\n  data-dir: ./data\n"
                        + "directory:\n  jdbc-url: " + MARIADB + database + "\n  username: root\n  password: \"\"\n");
            }
            return file;
        }
    }

    @Test
    void unreachableDatabaseIsOneLine(@TempDir Path folder) {
        Path file = folder.resolve("mailserver.yml");
        write(file, "directory:\n  jdbc-url: jdbc:mariadb://127.0.0.1:1/none\n  username: root\n");
        assertOneLineError(CliRun.of("domain", "list", "--config", file.toString()), "unreachable");
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

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
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import mailserver.auth.directory.DkimKey;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.ConfigLoader;
import mailserver.smtp.dkim.DkimKeys;
import mailserver.smtp.dkim.DkimTxtRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin round trip an admin does with the {@code mailserver} command: domain, user and
 * alias added, listed, changed, removed; DKIM keys made, rotated and shown, the DNS records to
 * publish; and the one-line errors. Once against the embedded
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

            assertThat(CliRun.withStdin("scram pw\n", withConfig("user", "passwd", "alice@example.test", "--password-stdin",
                    "--scheme", "SCRAM-SHA-256")).exitCode()).isZero();
            assertThat(storedHash("alice@example.test")).startsWith("{SCRAM-SHA-256}4096,");
            assertThat(authenticates("alice@example.test", "scram pw")).isTrue();
            assertThat(CliRun.withStdin("s\n", withConfig("user", "add", "scram@example.test", "--password-stdin",
                    "--scheme", "scram-sha-256")).exitCode()).isZero();
            assertThat(storedHash("scram@example.test")).startsWith("{SCRAM-SHA-256}");
            assertOneLineError(CliRun.withStdin("s\n", withConfig("user", "passwd", "scram@example.test", "--password-stdin",
                    "--scheme", "CRAM-MD5")), "cannot write password scheme CRAM-MD5");
            assertThat(run("user", "remove", "scram@example.test").exitCode()).isZero();

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

        @Test
        void dkimKeygenShowRotateAndDnsRecords() throws Exception {
            assertThat(run("domain", "add", "dkim.test").exitCode()).isZero();
            CliRun noKey = run("dns-records", "dkim.test");
            assertThat(noKey.exitCode()).as(noKey.err()).isZero();
            assertThat(noKey.out()).contains("; DKIM: no key yet. Make one with:  mailserver dkim keygen dkim.test")
                    .doesNotContain("_domainkey");

            CliRun first = run("dkim", "keygen", "dkim.test", "--selector", "mail");
            assertThat(first.exitCode()).as(first.err()).isZero();
            DkimKey mail = activeKey("dkim.test");
            assertThat(mail.selector()).isEqualTo("mail");
            String mailRecord = DkimTxtRecord.zoneLine("dkim.test", "mail", mail.publicKey());
            assertThat(first.out()).contains("added DKIM key mail of dkim.test (RSA 2048 bits)").contains(mailRecord);
            assertThat(mailRecord).startsWith("mail._domainkey.dkim.test. IN TXT ( \"v=DKIM1; k=rsa; \" \"p=MII").endsWith("\" )");
            assertThat(quotedStrings(mailRecord)).allSatisfy(string -> assertThat(string.length()).isLessThanOrEqualTo(255));
            assertThat(String.join("", quotedStrings(mailRecord))).isEqualTo("v=DKIM1; k=rsa; p=" + mail.publicKey());
            assertThat(DkimKeys.privateKey(mail.privateKeyPem()).getModulus().bitLength()).isEqualTo(2048);

            CliRun rotated = run("dkim", "keygen", "DKIM.test");
            assertThat(rotated.exitCode()).as(rotated.err()).isZero();
            DkimKey next = activeKey("dkim.test");
            assertThat(next.selector()).as("default selector").matches("s20[0-9]{2}(0[1-9]|1[0-2])");
            assertThat(next.publicKey()).isNotEqualTo(mail.publicKey());

            CliRun show = run("dkim", "show", "dkim.test");
            assertThat(show.exitCode()).as(show.err()).isZero();
            String nextRecord = DkimTxtRecord.zoneLine("dkim.test", next.selector(), next.publicKey());
            assertThat(show.out()).contains(nextRecord, mailRecord, "; mail: inactive (replaced)",
                    "; " + next.selector() + ": active, signs outgoing mail");
            assertThat(show.out().indexOf(nextRecord)).as("active key first").isLessThan(show.out().indexOf(mailRecord));

            CliRun records = run("dns-records", "dkim.test");
            assertThat(records.exitCode()).as(records.err()).isZero();
            assertThat(records.out().lines().filter(line -> !line.startsWith(";") && !line.isBlank()).toList()).containsExactly(
                    "dkim.test. IN MX 10 mail.example.test.",
                    "dkim.test. IN TXT \"v=spf1 mx ~all\"",
                    nextRecord,
                    "_dmarc.dkim.test. IN TXT \"v=DMARC1; p=none; rua=mailto:postmaster@dkim.test\"");
            assertThat(records.out()).contains(";   mail.example.test. IN A ", "PTR of each of those addresses -> mail.example.test.",
                            ";   mail.example.test. IN TXT \"v=spf1 a -all\"   (SPF of the HELO name")
                    .contains("; In the zone of mail.example.test (not dkim.test), and the reverse DNS");
        }

        @Test
        void dnsRecordsOfTheDomainTheHostNameIsInSayTheHostIsInItsZone() {
            assertThat(run("domain", "add", "example.test").exitCode()).isZero();

            CliRun records = run("dns-records", "example.test");

            assertThat(records.exitCode()).as(records.err()).isZero();
            assertThat(records.out()).contains("; In this zone too (mail.example.test is a name in it), and the reverse DNS")
                    .doesNotContain("(not example.test)");
            assertThat(run("domain", "remove", "example.test").exitCode()).as("MariaDB's database is shared").isZero();
        }

        @Test
        void dkimMistakesAreOneLine() {
            assertThat(run("domain", "add", "dkimerr.test").exitCode()).isZero();
            assertOneLineError(run("dkim", "keygen", "unknown.test", "--selector", "mail"), "domain unknown.test does not exist");
            assertOneLineError(run("dkim", "keygen", "dkimerr.test", "--selector", "bad_one"), "invalid DKIM selector");
            assertThat(run("dkim", "keygen", "dkimerr.test", "--selector", "mail").exitCode()).isZero();
            assertOneLineError(run("dkim", "keygen", "dkimerr.test", "--selector", "mail"), "DKIM key mail of dkimerr.test already exists");
            assertThat(run("dkim", "keygen", "dkimerr.test").exitCode()).isZero();
            assertOneLineError(run("dkim", "keygen", "dkimerr.test"), "already exists; name this one with --selector, e.g. --selector s");
            assertOneLineError(run("dkim", "show", "unknown.test"), "unknown.test has no DKIM key; make one with: mailserver dkim keygen unknown.test");
            assertOneLineError(run("dns-records", "unknown.test"), "domain unknown.test is not a domain of this server");
            assertOneLineError(run("dns-records", "bad_domain"), "bad_domain");
        }

        private DkimKey activeKey(String domain) throws Exception {
            try (JdbcDirectory directory = JdbcDirectory.open(ConfigLoader.load(config()).directory())) {
                return directory.findActiveDkimKey(domain).orElseThrow();
            }
        }

        private String storedHash(String user) throws Exception {
            try (JdbcDirectory directory = JdbcDirectory.open(ConfigLoader.load(config()).directory())) {
                return directory.findLogin(user).orElseThrow().hash();
            }
        }

        private boolean authenticates(String user, String password) throws Exception {
            try (JdbcDirectory directory = JdbcDirectory.open(ConfigLoader.load(config()).directory())) {
                return directory.authenticate(user, password.toCharArray()).success();
            }
        }
    }

    /** The character-strings of a zone-file TXT line, without their quotes. */
    static List<String> quotedStrings(String zoneLine) {
        return Pattern.compile("\"([^\"]*)\"").matcher(zoneLine).results().map(m -> m.group(1)).toList();
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

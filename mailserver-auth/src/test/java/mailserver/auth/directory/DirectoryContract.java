package mailserver.auth.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import mailserver.auth.directory.DirectoryException.Kind;
import mailserver.core.mail.MailAddress;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The admin round trip and login rules, run unchanged against H2 and MariaDB. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DirectoryContract {

    TestDatabase database;
    JdbcDirectory dir;

    abstract TestDatabase createDatabase() throws Exception;

    @BeforeAll
    void open() throws Exception {
        database = createDatabase();
        dir = JdbcDirectory.open(database.config(true, Duration.ZERO));
    }

    @AfterAll
    void close() throws Exception {
        if (dir != null) {
            dir.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void empty() throws Exception {
        for (String table : List.of("alias_domain", "alias", "mailbox", "domain", "mailserver_mailbox_limit", "mailserver_dkim_key")) {
            database.sql("DELETE FROM " + table);
        }
    }

    static MailAddress a(String address) {
        return MailAddress.parse(address);
    }

    static void assertFails(ThrowingCallable call, Kind kind, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DirectoryException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void domainRoundTrip() throws Exception {
        dir.addDomain("Example.TEST", "Example Inc.");
        dir.addDomain("bücher.example", null);
        assertThat(dir.listDomains()).containsExactly(
                new DomainInfo("example.test", "Example Inc.", 0, 0, true),
                new DomainInfo("xn--bcher-kva.example", "", 0, 0, true));
        assertThat(dir.isLocalDomain("EXAMPLE.test")).isTrue();
        assertThat(dir.isLocalDomain("bücher.example")).isTrue();
        assertFails(() -> dir.addDomain("example.test", "again"), Kind.DUPLICATE, "domain example.test already exists");
        assertFails(() -> dir.addDomain("bad_domain", ""), Kind.INVALID,
                "invalid domain: domain label \"bad_domain\" has characters other than letters, digits and inner hyphens in \"bad_domain\"");

        dir.removeDomain("xn--bcher-kva.example");
        assertThat(dir.listDomains()).extracting(DomainInfo::domain).containsExactly("example.test");
        assertFails(() -> dir.removeDomain("nowhere.test"), Kind.NOT_FOUND, "domain nowhere.test does not exist");
    }

    @Test
    void accountRoundTrip() throws Exception {
        dir.addDomain("example.test", "");
        dir.addAccount(a("Alice@Example.test"), "first pw".toCharArray(), 1_000_000, "Alice A.");
        AccountInfo alice = new AccountInfo(a("alice@example.test"), "Alice A.", "example.test/alice/", 1_000_000, 0, true);
        assertThat(dir.listAccounts(Optional.empty())).containsExactly(alice);
        assertThat(dir.listAccounts(Optional.of("EXAMPLE.TEST"))).containsExactly(alice);
        assertThat(dir.findAccount(a("ALICE@example.test"))).contains(alice);
        assertThat(dir.listDomains()).containsExactly(new DomainInfo("example.test", "", 1, 0, true));
        assertThat(dir.authenticate("alice@EXAMPLE.test", "first pw".toCharArray()).account()).contains(alice);

        dir.setPassword(a("alice@example.test"), "second pw".toCharArray());
        assertThat(dir.authenticate("alice@example.test", "first pw".toCharArray()).success()).isFalse();
        assertThat(dir.authenticate("alice@example.test", "second pw".toCharArray()).success()).isTrue();
        dir.setQuota(a("alice@example.test"), 0);
        assertThat(dir.findAccount(a("alice@example.test")).orElseThrow().quotaBytes()).isZero();

        assertFails(() -> dir.addAccount(a("alice@example.test"), "x".toCharArray(), 0, ""), Kind.DUPLICATE,
                "account alice@example.test already exists");
        assertFails(() -> dir.addAccount(a("bob@nowhere.test"), "x".toCharArray(), 0, ""), Kind.NOT_FOUND,
                "domain nowhere.test does not exist");
        assertFails(() -> dir.addAccount(a("bob@example.test"), "x".toCharArray(), -1, ""), Kind.INVALID,
                "quota must be 0 (unlimited) or more bytes, not -1");
        assertFails(() -> dir.addAccount(a("bob@example.test"), new char[0], 0, ""), Kind.INVALID,
                "the password must not be empty");
        assertFails(() -> dir.addAccount(a("\"../x\"@example.test"), "x".toCharArray(), 0, ""), Kind.INVALID,
                "local part of \"../x\"@example.test cannot be an account: it contains / or \\ or starts with a dot, which is unsafe as a maildir folder");
        assertFails(() -> dir.setQuota(a("bob@example.test"), 5), Kind.NOT_FOUND, "account bob@example.test does not exist");
        assertFails(() -> dir.setPassword(a("bob@example.test"), "x".toCharArray()), Kind.NOT_FOUND,
                "account bob@example.test does not exist");

        dir.removeAccount(a("alice@example.test"));
        assertThat(dir.listAccounts(Optional.empty())).isEmpty();
        assertThat(dir.findAccount(a("alice@example.test"))).isEmpty();
        assertFails(() -> dir.removeAccount(a("alice@example.test")), Kind.NOT_FOUND, "account alice@example.test does not exist");
        dir.removeDomain("example.test");
    }

    @Test
    void aliasRoundTrip() throws Exception {
        dir.addDomain("example.test", "");
        dir.addAccount(a("alice@example.test"), "pw".toCharArray(), 0, "");
        dir.addAlias("Team@Example.test", List.of("alice@example.test", "Bob@Remote.EXAMPLE, carol@remote.example", "alice@example.test"));
        dir.addAlias("@example.test", List.of("alice@example.test"));
        dir.addAlias(a("sales@example.test"), List.of("@elsewhere.example"));
        assertThat(dir.listAliases(Optional.empty())).containsExactly(
                new AliasInfo("@example.test", List.of("alice@example.test"), true),
                new AliasInfo("sales@example.test", List.of("@elsewhere.example"), true),
                new AliasInfo("team@example.test", List.of("alice@example.test", "Bob@remote.example", "carol@remote.example"), true));
        assertThat(dir.listAliases(Optional.of("other.test"))).isEmpty();
        assertThat(dir.listDomains()).containsExactly(new DomainInfo("example.test", "", 1, 3, true));

        assertFails(() -> dir.addAlias("team@example.test", List.of("x@example.test")), Kind.DUPLICATE,
                "alias team@example.test already exists");
        assertFails(() -> dir.addAlias("alice@example.test", List.of("x@example.test")), Kind.CONFLICT,
                "alice@example.test is an account; an alias cannot have its address");
        assertFails(() -> dir.addAlias("x@nowhere.test", List.of("alice@example.test")), Kind.NOT_FOUND,
                "domain nowhere.test does not exist");
        assertFails(() -> dir.addAlias("x@example.test", List.of()), Kind.INVALID, "alias x@example.test needs at least one target");
        assertFails(() -> dir.addAlias("x@example.test", List.of("x@example.test")), Kind.INVALID,
                "alias x@example.test cannot point at itself");
        assertFails(() -> dir.addAlias("x@example.test", List.of("not an address")), Kind.INVALID,
                "invalid alias target: missing @ in \"not an address\"");
        assertFails(() -> dir.addAlias("no at sign", List.of("a@b.test")), Kind.INVALID,
                "invalid alias address: missing @ in \"no at sign\"");

        assertFails(() -> dir.removeDomain("example.test"), Kind.CONFLICT,
                "domain example.test still has 1 account(s), 3 alias(es) and 0 alias domain(s); remove them first");
        assertFails(() -> dir.removeAlias("alice@example.test"), Kind.CONFLICT,
                "alice@example.test is an account; remove the account instead");
        dir.removeAlias("TEAM@example.test");
        dir.removeAlias("@example.test");
        dir.removeAlias("sales@example.test");
        assertFails(() -> dir.removeAlias("team@example.test"), Kind.NOT_FOUND, "alias team@example.test does not exist");
        dir.removeAccount(a("alice@example.test"));
        dir.removeDomain("example.test");
        assertThat(dir.listDomains()).isEmpty();
    }

    @Test
    void domainAliasRoundTrip() throws Exception {
        dir.addDomain("example.test", "");
        dir.addAccount(a("alice@example.test"), "pw".toCharArray(), 0, "");
        dir.addDomainAlias("Example.ORG", "example.test");
        assertThat(dir.listDomainAliases()).containsExactly(new DomainAliasInfo("example.org", "example.test", true));
        assertThat(dir.isLocalDomain("example.org")).isTrue();
        assertThat(dir.resolve(a("ALICE@example.org")).localAccounts()).extracting(AccountInfo::address)
                .containsExactly(a("alice@example.test"));

        assertFails(() -> dir.addDomainAlias("example.org", "example.test"), Kind.DUPLICATE, "alias domain example.org already exists");
        assertFails(() -> dir.addDomainAlias("x.test", "nowhere.test"), Kind.NOT_FOUND, "domain nowhere.test does not exist");
        assertFails(() -> dir.addDomainAlias("example.test", "example.test"), Kind.INVALID, "a domain cannot be an alias of itself");
        dir.addDomain("other.test", "");
        assertFails(() -> dir.addDomainAlias("other.test", "example.org"), Kind.NOT_FOUND, "domain example.org does not exist");
        assertFails(() -> dir.addDomain("example.org", ""), Kind.CONFLICT,
                "example.org is already an alias domain; remove the alias domain first");
        assertFails(() -> dir.removeDomain("example.test"), Kind.CONFLICT,
                "domain example.test still has 1 account(s), 0 alias(es) and 1 alias domain(s); remove them first");

        dir.removeDomainAlias("example.org");
        assertThat(dir.listDomainAliases()).isEmpty();
        assertThat(dir.isLocalDomain("example.org")).isFalse();
        assertFails(() -> dir.removeDomainAlias("example.org"), Kind.NOT_FOUND, "alias domain example.org does not exist");
    }

    @Test
    void loginFailuresAllLookTheSame() throws Exception {
        dir.addDomain("example.test", "");
        dir.addAccount(a("alice@example.test"), "pw".toCharArray(), 0, "");
        dir.addAccount(a("off@example.test"), "pw".toCharArray(), 0, "");
        database.sql("UPDATE mailbox SET active = 0 WHERE username = ?", "off@example.test");
        for (String user : List.of("nobody@example.test", "off@example.test", "not an address", "alice")) {
            assertThat(dir.authenticate(user, "pw".toCharArray())).as(user).isEqualTo(new AuthResult(Optional.empty()));
        }
        assertThat(dir.authenticate("alice@example.test", "PW".toCharArray()).success()).isFalse();
        assertThat(dir.findAccount(a("off@example.test")).orElseThrow().active()).isFalse();

        dir.setPassword(a("off@example.test"), "pw".toCharArray());
        database.sql("UPDATE mailbox SET active = 1 WHERE username = ?", "off@example.test");
        database.sql("UPDATE domain SET active = 0 WHERE domain = ?", "example.test");
        assertThat(dir.authenticate("off@example.test", "pw".toCharArray()).success()).as("domain disabled").isFalse();
    }

    @Test
    void aStoredPasswordInAnUnknownSchemeIsAnErrorNotAFailedLogin() throws Exception {
        dir.addDomain("example.test", "");
        dir.addAccount(a("alice@example.test"), "pw".toCharArray(), 0, "");
        database.sql("UPDATE mailbox SET password = ? WHERE username = ?", "{ROT13}cj", "alice@example.test");
        assertThatThrownBy(() -> dir.authenticate("alice@example.test", "pw".toCharArray()))
                .isInstanceOfSatisfying(DirectoryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessageStartingWith("the stored password of alice@example.test cannot be checked: unknown password scheme {ROT13}");
    }

    @Test
    void messageLimitComesFromOurOwnTableAndDefaultsToUnlimited() throws Exception {
        dir.addDomain("example.test", "");
        dir.addAccount(a("alice@example.test"), "pw".toCharArray(), 0, "");
        dir.addAccount(a("bob@example.test"), "pw".toCharArray(), 0, "");
        database.sql("INSERT INTO mailserver_mailbox_limit (username, max_messages) VALUES (?, ?)", "alice@example.test", 500);
        assertThat(dir.findAccount(a("alice@example.test")).orElseThrow().quotaMessages()).isEqualTo(500);
        assertThat(dir.findAccount(a("bob@example.test")).orElseThrow().quotaMessages()).isZero();
        dir.removeAccount(a("alice@example.test"));
        dir.addAccount(a("alice@example.test"), "pw".toCharArray(), 0, "");
        assertThat(dir.findAccount(a("alice@example.test")).orElseThrow().quotaMessages()).as("limit removed with the account").isZero();
    }

    @Test
    void dkimKeysRotateAndOneIsActive() throws Exception {
        dir.addDomain("example.test", "");
        assertThat(dir.findActiveDkimKey("example.test")).isEmpty();
        assertThat(dir.listDkimKeys("example.test")).isEmpty();

        dir.addDkimKey("Example.TEST", "Mail", "PEM-1", "PUB-1");
        DkimKey first = dir.findActiveDkimKey("EXAMPLE.test").orElseThrow();
        assertThat(first.domain()).isEqualTo("example.test");
        assertThat(first.selector()).isEqualTo("mail");
        assertThat(first.privateKeyPem()).isEqualTo("PEM-1");
        assertThat(first.publicKey()).isEqualTo("PUB-1");
        assertThat(first.active()).isTrue();
        assertThat(first.toString()).doesNotContain("PEM-1");

        dir.addDkimKey("example.test", "s202611", "PEM-2", "PUB-2");
        assertThat(dir.findActiveDkimKey("example.test").orElseThrow().selector()).as("the new key signs").isEqualTo("s202611");
        assertThat(dir.listDkimKeys("example.test")).extracting(DkimKey::selector, DkimKey::active)
                .containsExactlyInAnyOrder(tuple("mail", false),
                        tuple("s202611", true));

        assertFails(() -> dir.addDkimKey("example.test", "mail", "x", "y"), Kind.DUPLICATE, "DKIM key mail of example.test already exists");
        assertFails(() -> dir.addDkimKey("nowhere.test", "mail", "x", "y"), Kind.NOT_FOUND, "domain nowhere.test does not exist");
        assertFails(() -> dir.addDkimKey("example.test", "bad_selector", "x", "y"), Kind.INVALID,
                "invalid DKIM selector \"bad_selector\": use letters, digits and inner hyphens, dot-separated, at most 63 characters");
        assertThat(dir.findActiveDkimKey("other.test")).isEmpty();

        dir.addDomainAlias("alias.test", "example.test");
        dir.addDkimKey("alias.test", "mail", "PEM-3", "PUB-3");
        assertThat(dir.findActiveDkimKey("alias.test").orElseThrow().publicKey()).as("an alias domain signs with its own key").isEqualTo("PUB-3");

        dir.removeDomainAlias("alias.test");
        dir.removeDomain("example.test");
        dir.addDomain("example.test", "");
        assertThat(dir.listDkimKeys("example.test")).as("keys go with their domain").isEmpty();
        assertThat(dir.listDkimKeys("alias.test")).isEmpty();
    }

    @Test
    void aDatabaseOfTheFirstSchemaVersionGetsTheDkimTable() throws Exception {
        try (TestDatabase old = createDatabase()) {
            String v1;
            try (var in = SchemaMigrator.class.getResourceAsStream("sql/schema-v1.sql")) {
                v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            old.runScript(v1);
            old.sql("INSERT INTO mailserver_schema_version (version, description, applied) VALUES (1, 'schema-v1.sql', ?)",
                    LocalDateTime.now().withNano(0));
            try (JdbcDirectory upgraded = JdbcDirectory.open(old.config(true, Duration.ZERO))) {
                upgraded.addDomain("example.test", "");
                upgraded.addDkimKey("example.test", "mail", "PEM", "PUB");
                assertThat(upgraded.findActiveDkimKey("example.test")).isPresent();
            }
            try (var c = old.connect()) {
                assertThat(Sql.first(c, "SELECT MAX(version) FROM mailserver_schema_version", row -> row.getInt(1))).contains(2);
            }
        }
    }
}

package mailserver.auth.directory;

import static mailserver.auth.directory.DirectoryContract.a;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import mailserver.auth.directory.Resolution.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An existing PostfixAdmin database, tables made with PostfixAdmin's MySQL DDL (not ours), opened
 * with manage-schema false: lookups and logins work, and nothing of ours is created in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostfixAdminCompatibilityTest {

    private TestDatabase database;
    private JdbcDirectory dir;

    @BeforeAll
    void postfixAdminDatabase() throws Exception {
        database = TestDatabase.mariaDb();
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("postfixadmin-3.sql"))) {
            database.runScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        dir = JdbcDirectory.open(database.config(false, Duration.ofMinutes(1)));
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

    @Test
    void loginsWithThePasswordsPostfixAdminWrote() throws Exception {
        for (String user : List.of("md5@pfa.test", "sha@pfa.test", "BLF@pfa.test")) {
            assertThat(dir.authenticate(user, "secret".toCharArray()).success()).as(user).isTrue();
            assertThat(dir.authenticate(user, "Secret".toCharArray()).success()).as(user).isFalse();
        }
        assertThat(dir.authenticate("md5@pfa.test", "secret".toCharArray()).account().orElseThrow())
                .isEqualTo(new AccountInfo(a("md5@pfa.test"), "Md5 User", "pfa.test/md5/", 1_048_576, 0, true));
    }

    @Test
    void lookups() throws Exception {
        assertThat(dir.isLocalDomain("pfa.test")).isTrue();
        assertThat(dir.isLocalDomain("pfa-alias.test")).isTrue();
        assertThat(dir.isLocalDomain("ALL")).as("PostfixAdmin's superadmin marker is no mail domain").isFalse();
        assertThat(dir.resolve(a("info@pfa.test")).localAccounts()).extracting(acc -> acc.address().toString())
                .containsExactly("md5@pfa.test", "sha@pfa.test");
        assertThat(dir.resolve(a("sha@pfa-alias.test")).localAccounts()).extracting(acc -> acc.address().toString())
                .containsExactly("sha@pfa.test");
        assertThat(dir.resolve(a("whoever@pfa.test")).localAccounts()).extracting(acc -> acc.address().toString())
                .as("catch-all").containsExactly("blf@pfa.test");
        assertThat(dir.resolve(a("x@elsewhere.test")).status()).isEqualTo(Status.REMOTE);
        assertThat(dir.findAccount(a("sha@pfa.test")).orElseThrow().quotaMessages()).isZero();
    }

    @Test
    void adminListsReadItToo() throws Exception {
        assertThat(dir.listDomains()).extracting(DomainInfo::domain).containsExactly("pfa-alias.test", "pfa.test");
        assertThat(dir.listDomains()).filteredOn(d -> d.domain().equals("pfa.test"))
                .containsExactly(new DomainInfo("pfa.test", "PostfixAdmin domain", 3, 2, true));
        assertThat(dir.listAliases(Optional.of("pfa.test"))).extracting(AliasInfo::address).containsExactly("@pfa.test", "info@pfa.test");
        assertThat(dir.listDomainAliases()).containsExactly(new DomainAliasInfo("pfa-alias.test", "pfa.test", true));
    }

    @Test
    void ourTablesAreNotCreatedWhenWeDoNotManageTheSchema() throws Exception {
        try (var c = database.connect()) {
            assertThat(Sql.hasTable(c, "mailserver_schema_version")).isFalse();
            assertThat(Sql.hasTable(c, "mailserver_mailbox_limit")).isFalse();
            assertThat(Sql.hasTable(c, "mailserver_dkim_key")).isFalse();
        }
    }

    @Test
    void withoutOurDkimTableNothingIsSignedAndKeygenSaysWhatToDo() throws Exception {
        assertThat(dir.findActiveDkimKey("pfa.test")).isEmpty();
        assertThat(dir.listDkimKeys("pfa.test")).isEmpty();
        assertThatThrownBy(() -> dir.addDkimKey("pfa.test", "mail", "PEM", "PUB"))
                .isInstanceOfSatisfying(DirectoryException.class, e -> assertThat(e.kind()).isEqualTo(DirectoryException.Kind.INVALID))
                .hasMessageEndingWith("has no mailserver_dkim_key table; set manage-schema: true, or run config/sql/schema-v2.sql in it");
    }
}

package mailserver.auth.directory;

import static mailserver.auth.directory.DirectoryContract.a;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import mailserver.auth.directory.DirectoryException.Kind;
import mailserver.auth.directory.Resolution.Status;
import mailserver.core.mail.MailAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Postfix virtual_alias_maps semantics over PostfixAdmin's tables, on one fixture (H2; the SQL is shared with MariaDB). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AliasResolutionTest {

    private TestDatabase database;
    private JdbcDirectory dir;

    @BeforeAll
    void fixture() throws Exception {
        database = TestDatabase.h2();
        dir = JdbcDirectory.open(database.config(true, Duration.ZERO));
        for (String d : List.of("ex.test", "catch.test", "fwd.test", "off.test")) {
            dir.addDomain(d, "");
        }
        for (String account : List.of("alice@ex.test", "bob@ex.test", "carol@ex.test", "disabled@ex.test", "dave@catch.test", "erin@off.test")) {
            dir.addAccount(a(account), "pw".toCharArray(), 0, "");
        }
        dir.addDomainAlias("alias.test", "ex.test");
        dir.addAlias("team@ex.test", List.of("alice@ex.test", "bob@ex.test"));
        dir.addAlias("all@ex.test", List.of("team@ex.test", "carol@ex.test", "alice@ex.test"));
        dir.addAlias("loop1@ex.test", List.of("loop2@ex.test"));
        dir.addAlias("loop2@ex.test", List.of("loop1@ex.test", "carol@ex.test"));
        dir.addAlias("ext@ex.test", List.of("someone@remote.example", "Alice@Other.Remote", "someone@REMOTE.example"));
        dir.addAlias("gone@ex.test", List.of("alice@ex.test"));
        dir.addAlias("to-disabled@ex.test", List.of("disabled@ex.test"));
        dir.addAlias("to-nobody@ex.test", List.of("nobody@ex.test"));
        dir.addAlias("via-alias-domain@ex.test", List.of("carol@alias.test"));
        dir.addAlias("sales@catch.test", List.of("alice@ex.test"));
        dir.addAlias("@catch.test", List.of("dave@catch.test"));
        dir.addAlias("@fwd.test", List.of("@ex.test"));
        for (int i = 0; i < 25; i++) {
            dir.addAlias("chain" + i + "@ex.test", List.of("chain" + (i + 1) + "@ex.test"));
        }
        dir.addAlias("chain25@ex.test", List.of("alice@ex.test"));
        // PostfixAdmin's "forward and keep a copy": the account's own row lists itself and the forward.
        database.sql("UPDATE alias SET goto = ? WHERE address = ?", "bob@ex.test,bob@remote.example", "bob@ex.test");
        database.sql("UPDATE alias SET active = 0 WHERE address = ?", "gone@ex.test");
        database.sql("UPDATE mailbox SET active = 0 WHERE username = ?", "disabled@ex.test");
        database.sql("UPDATE domain SET active = 0 WHERE domain = ?", "off.test");
    }

    @AfterAll
    void close() throws Exception {
        dir.close();
        database.close();
    }

    private List<String> local(String recipient) throws DirectoryException {
        Resolution r = dir.resolve(a(recipient));
        assertThat(r.status()).isEqualTo(Status.LOCAL);
        return r.localAccounts().stream().map(acc -> acc.address().toString()).toList();
    }

    private static List<MailAddress> addresses(String... list) {
        return Arrays.stream(list).map(MailAddress::parse).toList();
    }

    @Test
    void anAccountIsItself() throws Exception {
        assertThat(local("alice@ex.test")).containsExactly("alice@ex.test");
        assertThat(local("ALICE@Ex.Test")).as("case-insensitive").containsExactly("alice@ex.test");
    }

    @Test
    void multiTargetAlias() throws Exception {
        assertThat(local("team@ex.test")).containsExactly("alice@ex.test", "bob@ex.test");
    }

    @Test
    void nestedAliasesAreExpandedAndDuplicatesRemoved() throws Exception {
        Resolution r = dir.resolve(a("all@ex.test"));
        assertThat(r.localAccounts()).extracting(acc -> acc.address().toString())
                .containsExactly("alice@ex.test", "bob@ex.test", "carol@ex.test");
        assertThat(r.remoteTargets()).as("bob forwards a copy").containsExactly(a("bob@remote.example"));
    }

    @Test
    void aLoopIsCutAndTheRestStillDelivered() throws Exception {
        assertThat(local("loop1@ex.test")).containsExactly("carol@ex.test");
        assertThat(local("loop2@ex.test")).containsExactly("carol@ex.test");
    }

    @Test
    void aTargetEqualToTheAliasMeansItsOwnMailbox() throws Exception {
        Resolution r = dir.resolve(a("bob@ex.test"));
        assertThat(r.localAccounts()).extracting(acc -> acc.address().toString()).containsExactly("bob@ex.test");
        assertThat(r.remoteTargets()).containsExactly(a("bob@remote.example"));
    }

    @Test
    void catchAllOnlyWhenTheAddressHasNoMailboxAndNoAliasOfItsOwn() throws Exception {
        assertThat(local("random@catch.test")).containsExactly("dave@catch.test");
        assertThat(local("dave@catch.test")).containsExactly("dave@catch.test");
        assertThat(local("sales@catch.test")).containsExactly("alice@ex.test");
    }

    @Test
    void catchAllToAnotherDomainKeepsTheLocalPart() throws Exception {
        assertThat(local("carol@fwd.test")).containsExactly("carol@ex.test");
        assertThat(dir.resolve(a("nobody@fwd.test")).status()).isEqualTo(Status.UNKNOWN_USER);
    }

    @Test
    void aliasDomainsRewriteToTheirTarget() throws Exception {
        assertThat(local("alice@alias.test")).containsExactly("alice@ex.test");
        assertThat(local("team@alias.test")).containsExactly("alice@ex.test", "bob@ex.test");
        assertThat(local("via-alias-domain@ex.test")).containsExactly("carol@ex.test");
        assertThat(dir.resolve(a("nobody@alias.test")).status()).isEqualTo(Status.UNKNOWN_USER);
    }

    @Test
    void inactiveAliasesAccountsAndDomainsAreIgnored() throws Exception {
        assertThat(dir.resolve(a("gone@ex.test")).status()).isEqualTo(Status.UNKNOWN_USER);
        assertThat(dir.resolve(a("disabled@ex.test")).status()).isEqualTo(Status.UNKNOWN_USER);
        assertThat(dir.resolve(a("to-disabled@ex.test")).status()).isEqualTo(Status.UNKNOWN_USER);
        assertThat(dir.resolve(a("erin@off.test"))).isEqualTo(new Resolution(List.of(), addresses("erin@off.test"), Status.REMOTE));
        assertThat(dir.isLocalDomain("off.test")).isFalse();
    }

    @Test
    void unknownUsersOfOurDomains() throws Exception {
        assertThat(dir.resolve(a("nobody@ex.test"))).isEqualTo(new Resolution(List.of(), List.of(), Status.UNKNOWN_USER));
        assertThat(dir.resolve(a("to-nobody@ex.test")).status()).isEqualTo(Status.UNKNOWN_USER);
    }

    @Test
    void remoteTargetsAndRemoteRecipients() throws Exception {
        Resolution r = dir.resolve(a("ext@ex.test"));
        assertThat(r.status()).isEqualTo(Status.LOCAL);
        assertThat(r.localAccounts()).isEmpty();
        assertThat(r.remoteTargets()).containsExactlyElementsOf(addresses("someone@remote.example", "Alice@other.remote"));
        assertThat(dir.resolve(a("x@elsewhere.example"))).isEqualTo(new Resolution(List.of(), addresses("x@elsewhere.example"), Status.REMOTE));
        assertThat(dir.resolve(a("x@[192.0.2.1]")).status()).isEqualTo(Status.REMOTE);
    }

    @Test
    void chainsDeeperThanTheLimitAreAClearError() throws Exception {
        assertThat(local("chain6@ex.test")).as("20 levels are fine").containsExactly("alice@ex.test");
        assertThatThrownBy(() -> dir.resolve(a("chain0@ex.test")))
                .isInstanceOfSatisfying(DirectoryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessage("aliases of chain0@ex.test nest deeper than 20 levels (at chain21@ex.test); check the alias table for a long chain");
    }

    @Test
    void localDomains() throws Exception {
        assertThat(dir.isLocalDomain("EX.test")).isTrue();
        assertThat(dir.isLocalDomain("alias.test")).isTrue();
        assertThat(dir.isLocalDomain("remote.example")).isFalse();
        assertThat(dir.isLocalDomain("not a domain")).isFalse();
    }
}

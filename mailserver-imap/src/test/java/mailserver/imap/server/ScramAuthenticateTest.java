package mailserver.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import mailserver.core.mail.MailAddress;
import mailserver.imap.session.ImapSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AUTHENTICATE SCRAM-SHA-256 over a real socket, configured as an admin would
 * ({@code imap.auth-mechanisms: [PLAIN, LOGIN, SCRAM-SHA-256]}). Alice's password is stored as
 * {@code {SCRAM-SHA-256}}; Bob's stays bcrypt, which SCRAM cannot use.
 */
class ScramAuthenticateTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir, ImapSettings.imap(TestServer.HOSTNAME).withIdlePollInterval(Duration.ofMillis(500))
                .withAuthMechanisms(List.of("PLAIN", "LOGIN", "SCRAM-SHA-256")));
        server.directory.setPassword(MailAddress.parse("alice@example.test"), "secret".toCharArray(), "SCRAM-SHA-256");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ImapClient client() throws Exception {
        ImapClient c = new ImapClient(server.port("imap"));
        c.greeting();
        return c;
    }

    @Test
    void capabilityAnnouncesScramInTheConfiguredOrderAndNoPlus() throws Exception {
        try (ImapClient c = client()) {
            assertThat(c.command("CAPABILITY").get(0)).endsWith(" AUTH=PLAIN AUTH=LOGIN AUTH=SCRAM-SHA-256").doesNotContain("-PLUS");
            assertThat(c.command("AUTHENTICATE SCRAM-SHA-256-PLUS biws")).containsExactly("t2 NO [CANNOT] Unsupported mechanism SCRAM-SHA-256-PLUS");
        }
    }

    @Test
    void aScramAccountLogsInWithChallengesAndTheServerProvesItself() throws Exception {
        try (ImapClient c = client()) {
            ScramClient scram = new ScramClient("alice@example.test", "secret");
            c.send("a AUTHENTICATE SCRAM-SHA-256");
            assertThat(c.line()).isEqualTo("+ ");
            c.send(scram.clientFirst());
            String serverFirst = c.line();
            assertThat(serverFirst).startsWith("+ ");
            c.send(scram.clientFinal(serverFirst.substring(2)));
            assertThat(c.line()).isEqualTo("+ " + scram.expectedServerFinal());
            c.send("");
            assertThat(c.line()).startsWith("a OK [CAPABILITY IMAP4rev1").endsWith("] Logged in");
            assertThat(ImapClient.last(c.command("SELECT INBOX"))).startsWith("t1 OK [READ-WRITE]");
        }
    }

    @Test
    void saslIrCarriesTheClientFirstMessage() throws Exception {
        try (ImapClient c = client()) {
            ScramClient scram = new ScramClient("alice@example.test", "secret");
            c.send("a authenticate scram-sha-256 " + scram.clientFirst());
            String serverFirst = c.line();
            c.send(scram.clientFinal(serverFirst.substring(2)));
            assertThat(c.line()).isEqualTo("+ " + scram.expectedServerFinal());
            c.send("");
            assertThat(c.line()).endsWith("] Logged in");
        }
    }

    @Test
    void aWrongPasswordFailsLikeAnyOther() throws Exception {
        assertThat(scramLogin("alice@example.test", "wrong")).isEqualTo("a NO [AUTHENTICATIONFAILED] Authentication failed");
    }

    @Test
    void aBcryptAccountFailsScramLikeAWrongPasswordButPlainStillWorks() throws Exception {
        assertThat(scramLogin("bob@example.test", "hunter2")).isEqualTo("a NO [AUTHENTICATIONFAILED] Authentication failed");
        assertThat(scramLogin("nobody@example.test", "x")).isEqualTo("a NO [AUTHENTICATIONFAILED] Authentication failed");
        try (ImapClient c = client()) {
            String plain = Base64.getEncoder().encodeToString("\0bob@example.test\0hunter2".getBytes(StandardCharsets.UTF_8));
            assertThat(ImapClient.last(c.command("AUTHENTICATE PLAIN " + plain))).endsWith("] Logged in");
        }
    }

    @Test
    void aScramStoredPasswordStillWorksWithLoginAndPlain() throws Exception {
        try (ImapClient c = client()) {
            assertThat(ImapClient.last(c.command("LOGIN alice@example.test secret"))).endsWith("] Logged in");
        }
    }

    @Test
    void malformedScramMessagesAreBadAndTheSessionGoesOn() throws Exception {
        try (ImapClient c = client()) {
            String channelBinding = Base64.getEncoder().encodeToString("p=tls-exporter,,n=alice@example.test,r=abc"
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTHENTICATE SCRAM-SHA-256 " + channelBinding))
                    .containsExactly("t1 BAD Invalid SCRAM message: channel binding is not supported");
            c.send("a AUTHENTICATE SCRAM-SHA-256 " + new ScramClient("alice@example.test", "secret").clientFirst());
            assertThat(c.line()).startsWith("+ ");
            c.send(Base64.getEncoder().encodeToString("c=biws,r=someoneelse,p=AAAA".getBytes(StandardCharsets.UTF_8)));
            assertThat(c.line()).isEqualTo("a BAD Invalid SCRAM message: the nonce is not the one this exchange uses");
            assertThat(c.command("NOOP")).containsExactly("t2 OK NOOP completed");
        }
    }

    @Test
    void withoutTheConfigKeyScramIsNeitherAnnouncedNorAccepted() throws Exception {
        try (TestServer plain = new TestServer(dir.resolve("default")); ImapClient c = new ImapClient(plain.port("imap"))) {
            assertThat(c.greeting()).contains("AUTH=PLAIN AUTH=LOGIN]");
            assertThat(c.command("AUTHENTICATE SCRAM-SHA-256")).containsExactly("t1 NO [CANNOT] Unsupported mechanism SCRAM-SHA-256");
        }
    }

    private static String scramLogin(String user, String password) throws Exception {
        try (ImapClient c = client()) {
            ScramClient scram = new ScramClient(user, password);
            c.send("a AUTHENTICATE SCRAM-SHA-256 " + scram.clientFirst());
            String serverFirst = c.line();
            assertThat(serverFirst).startsWith("+ ");
            c.send(scram.clientFinal(serverFirst.substring(2)));
            return c.line();
        }
    }
}

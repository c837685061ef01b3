package mailserver.pop3.server;

import static mailserver.pop3.server.Pop3TestServer.ALICE;
import static mailserver.pop3.server.Pop3TestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AUTHORIZATION state over real sockets, with exact responses: greeting, CAPA, STLS, USER/PASS, AUTH. */
class Pop3ProtocolTest {

    @TempDir
    static Path work;
    static Pop3TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = Pop3TestServer.start(work);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void greetsAndListsCapabilitiesWithoutPlaintextLoginsBeforeTls() throws Exception {
        try (RawClient c = RawClient.plain(server.plainPort())) {
            assertThat(c.readLine()).isEqualTo("+OK pop.example.test POP3 ready.");

            assertThat(c.command("CAPA")).isEqualTo("+OK");
            assertThat(c.readMultiLine()).containsExactly("TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "STLS");
        }
    }

    @Test
    void refusesPlaintextLoginsWithoutTls() throws Exception {
        try (RawClient c = RawClient.plain(server.plainPort())) {
            c.readLine();
            String refusal = "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";

            assertThat(c.command("USER " + ALICE)).isEqualTo(refusal);
            assertThat(c.command("PASS " + PASSWORD)).isEqualTo(refusal);
            assertThat(c.command("AUTH PLAIN " + b64("\0" + ALICE + "\0" + PASSWORD))).isEqualTo(refusal);
            assertThat(c.command("STAT")).isEqualTo("-ERR Not logged in.");
        }
    }

    @Test
    void stlsUpgradesAndThenOffersLogins() throws Exception {
        try (RawClient c = RawClient.plain(server.plainPort())) {
            c.readLine();
            assertThat(c.command("STLS")).isEqualTo("+OK Begin TLS negotiation now.");
            c.startTls();

            assertThat(c.command("CAPA")).isEqualTo("+OK");
            assertThat(c.readMultiLine())
                    .containsExactly("TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "USER", "SASL PLAIN LOGIN");
            assertThat(c.command("STLS")).isEqualTo("-ERR TLS is already active.");
            assertThat(c.command("USER " + ALICE)).isEqualTo("+OK");
            assertThat(c.command("PASS " + PASSWORD)).isEqualTo("+OK Logged in.");
            assertThat(c.command("STLS")).isEqualTo("-ERR Already logged in.");
            assertThat(c.command("CAPA")).isEqualTo("+OK");
            assertThat(c.readMultiLine()).containsExactly("TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE");
            assertThat(c.command("QUIT")).isEqualTo("+OK Logging out.");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void stlsForgetsCommandsPipelinedBehindIt() throws Exception {
        try (RawClient c = RawClient.plain(server.plainPort())) {
            c.readLine();
            c.send("STLS\r\nUSER " + ALICE + "\r\n");
            assertThat(c.readLine()).isEqualTo("+OK Begin TLS negotiation now.");
            c.startTls();

            assertThat(c.command("PASS " + PASSWORD)).as("the injected USER was dropped").isEqualTo("-ERR No username given.");
        }
    }

    @Test
    void implicitTlsGreetsInsideTls() throws Exception {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            assertThat(c.readLine()).isEqualTo("+OK pop.example.test POP3 ready.");
            assertThat(c.command("CAPA")).isEqualTo("+OK");
            assertThat(c.readMultiLine()).doesNotContain("STLS").contains("USER", "SASL PLAIN LOGIN");
        }
    }

    @Test
    void authPlainWithInitialResponse() throws Exception {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            c.readLine();
            assertThat(c.command("AUTH PLAIN " + b64("\0" + ALICE + "\0" + PASSWORD))).isEqualTo("+OK Logged in.");
        }
    }

    @Test
    void authPlainAfterAnEmptyChallenge() throws Exception {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            c.readLine();
            assertThat(c.command("AUTH plain")).isEqualTo("+ ");
            assertThat(c.command(b64(ALICE + "\0" + ALICE + "\0" + PASSWORD))).isEqualTo("+OK Logged in.");
        }
    }

    @Test
    void authLoginAsksForUserNameAndPassword() throws Exception {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            c.readLine();
            assertThat(c.command("AUTH LOGIN")).isEqualTo("+ VXNlcm5hbWU6");
            assertThat(c.command(b64(ALICE))).isEqualTo("+ UGFzc3dvcmQ6");
            assertThat(c.command(b64(PASSWORD))).isEqualTo("+OK Logged in.");
        }
    }

    @Test
    void authWithoutMechanismListsThemAndUnknownOnesAreRefused() throws Exception {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            c.readLine();
            assertThat(c.command("AUTH")).isEqualTo("+OK");
            assertThat(c.readMultiLine()).containsExactly("PLAIN", "LOGIN");
            assertThat(c.command("AUTH CRAM-MD5")).isEqualTo("-ERR Unsupported authentication mechanism.");
        }
    }

    @Test
    void authCanBeCancelledAndRefusesBadResponses() throws Exception {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            c.readLine();
            assertThat(c.command("AUTH LOGIN")).isEqualTo("+ VXNlcm5hbWU6");
            assertThat(c.command("*")).isEqualTo("-ERR Authentication cancelled.");
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command("%%%")).isEqualTo("-ERR Invalid base64 data.");
            assertThat(c.command("AUTH PLAIN " + b64("\0" + ALICE))).isEqualTo("-ERR PLAIN needs authzid NUL authcid NUL password.");
            assertThat(c.command("NOOP")).as("back in AUTHORIZATION").isEqualTo("-ERR Not logged in.");
        }
    }

    @Test
    void authPlainRefusesActingAsAnotherUser() throws Exception {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            c.readLine();
            assertThat(c.command("AUTH PLAIN " + b64(Pop3TestServer.BOB + "\0" + ALICE + "\0" + PASSWORD)))
                    .isEqualTo("-ERR [AUTH] Authorization identity must be the authentication identity.");
        }
    }

    @Test
    void answersBadCommandsClearly() throws Exception {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            c.readLine();
            assertThat(c.command("HELO there")).isEqualTo("-ERR Unknown command.");
            assertThat(c.command("X")).isEqualTo("-ERR Unknown command.");
            assertThat(c.command("")).isEqualTo("-ERR Empty command.");
            assertThat(c.command("PASS x")).isEqualTo("-ERR No username given.");
            assertThat(c.command("USER")).isEqualTo("-ERR USER needs an argument.");
            assertThat(c.command("CAPA now")).isEqualTo("-ERR CAPA takes no arguments.");
            assertThat(c.command("AUTH  PLAIN")).isEqualTo("-ERR Invalid spacing between arguments.");
            assertThat(c.command("USER " + "a".repeat(321))).isEqualTo("-ERR Invalid user name.");
            c.send(new byte[] {'U', 'S', 'E', 'R', ' ', (byte) 0xff, '\r', '\n'});
            assertThat(c.readLine()).isEqualTo("-ERR Invalid characters in the command.");
            assertThat(c.command("capa ")).as("case and a trailing space are fine").isEqualTo("+OK");
        }
    }

    @Test
    void aTooLongLineIsRefusedAndTheSessionGoesOn() throws Exception {
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            c.readLine();
            c.send("USER " + "x".repeat(Pop3Protocol.MAX_LINE_LENGTH) + "\r\nQUIT\r\n");

            assertThat(c.readLine()).isEqualTo("-ERR Line too long.");
            assertThat(c.readLine()).isEqualTo("+OK Logging out.");
        }
    }

    @Test
    void quitBeforeLoginSaysGoodbye() throws Exception {
        try (RawClient c = RawClient.plain(server.plainPort())) {
            c.readLine();
            assertThat(c.command("QUIT")).isEqualTo("+OK Logging out.");
            assertThat(c.readLine()).isNull();
        }
    }
}

package mailserver.pop3.server;

import static mailserver.pop3.server.Pop3TestServer.ALICE;
import static mailserver.pop3.server.Pop3TestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import mailserver.store.FolderSnapshot;
import mailserver.store.MessageRef;
import mailserver.store.SystemFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TRANSACTION and UPDATE states over real sockets, with exact responses, against a real Maildir. */
class Pop3TransactionTest {

    static final String FIRST = "From: a@example.test\r\nSubject: one\r\n\r\nHello\r\n.dot line\r\n..two dots\r\n";
    static final String SECOND = "Subject: two\r\n\r\nbody 1\r\nbody 2\r\nbody 3\r\n";
    static final String NO_FINAL_CRLF = "Subject: three\r\n\r\nno line break at the end";

    @TempDir
    Path work;
    Pop3TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = Pop3TestServer.start(work);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    RawClient login() throws IOException {
        RawClient c = RawClient.tls(server.tlsPort());
        c.readLine();
        assertThat(c.command("USER " + ALICE)).isEqualTo("+OK");
        assertThat(c.command("PASS " + PASSWORD)).isEqualTo("+OK Logged in.");
        return c;
    }

    long uidValidity() throws IOException {
        return server.inbox(ALICE).sync().uidValidity();
    }

    String uidl(long uid) throws IOException {
        return String.format(Locale.ROOT, "%08x%08x", uid, uidValidity());
    }

    static int size(String message) {
        return message.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void statListAndUidlDescribeTheMaildropInCrlfOctets() throws Exception {
        long uid1 = server.deliver(ALICE, FIRST);
        long uid2 = server.deliver(ALICE, SECOND);
        int total = size(FIRST) + size(SECOND);
        try (RawClient c = login()) {
            assertThat(c.command("STAT")).isEqualTo("+OK 2 " + total);
            assertThat(c.command("LIST")).isEqualTo("+OK 2 messages (" + total + " octets)");
            assertThat(c.readMultiLine()).containsExactly("1 " + size(FIRST), "2 " + size(SECOND));
            assertThat(c.command("LIST 2")).isEqualTo("+OK 2 " + size(SECOND));
            assertThat(c.command("UIDL")).isEqualTo("+OK");
            assertThat(c.readMultiLine()).containsExactly("1 " + uidl(uid1), "2 " + uidl(uid2));
            assertThat(c.command("UIDL 1")).isEqualTo("+OK 1 " + uidl(uid1));
            assertThat(uidl(uid1)).matches("[0-9a-f]{16}").startsWith("00000001");
        }
    }

    @Test
    void retrDotStuffsLinesThatStartWithADot() throws Exception {
        server.deliver(ALICE, FIRST);
        try (RawClient c = login()) {
            assertThat(c.command("RETR 1")).isEqualTo("+OK " + size(FIRST) + " octets");
            assertThat(new String(c.readMultiLineBytes(), StandardCharsets.UTF_8)).isEqualTo(
                    "From: a@example.test\r\nSubject: one\r\n\r\nHello\r\n..dot line\r\n...two dots\r\n.\r\n");
        }
    }

    @Test
    void aMessageWithoutFinalLineBreakGetsOneBeforeTheDot() throws Exception {
        server.deliver(ALICE, NO_FINAL_CRLF);
        try (RawClient c = login()) {
            assertThat(c.command("LIST 1")).isEqualTo("+OK 1 " + size(NO_FINAL_CRLF));
            assertThat(c.command("RETR 1")).isEqualTo("+OK " + size(NO_FINAL_CRLF) + " octets");
            assertThat(new String(c.readMultiLineBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(NO_FINAL_CRLF + "\r\n.\r\n");
        }
    }

    @Test
    void aDovecotFileWithBareLfIsServedAndCountedWithCrlf() throws Exception {
        server.inbox(ALICE); // creates the Maildir
        String lf = "Subject: lf\n\nline 1\n.line 2\n";
        Files.writeString(server.maildir(ALICE).resolve("cur/1700000000.M1P1.other:2,S"), lf);
        String crlf = lf.replace("\n", "\r\n");
        try (RawClient c = login()) {
            assertThat(c.command("LIST 1")).isEqualTo("+OK 1 " + size(crlf));
            assertThat(c.command("RETR 1")).isEqualTo("+OK " + size(crlf) + " octets");
            assertThat(new String(c.readMultiLineBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("Subject: lf\r\n\r\nline 1\r\n..line 2\r\n.\r\n");
        }
    }

    @Test
    void topSendsTheHeaderAndTheFirstBodyLines() throws Exception {
        server.deliver(ALICE, SECOND);
        try (RawClient c = login()) {
            assertThat(c.command("TOP 1 2")).isEqualTo("+OK");
            assertThat(c.readMultiLine()).containsExactly("Subject: two", "", "body 1", "body 2");
            assertThat(c.command("TOP 1 0")).isEqualTo("+OK");
            assertThat(c.readMultiLine()).containsExactly("Subject: two", "");
            assertThat(c.command("TOP 1 99999999999999999999")).isEqualTo("+OK");
            assertThat(c.readMultiLine()).containsExactly("Subject: two", "", "body 1", "body 2", "body 3");
            assertThat(c.command("TOP 1")).isEqualTo("-ERR TOP needs 2 arguments.");
            assertThat(c.command("TOP 1 -1")).isEqualTo("-ERR Invalid number of lines: -1.");
        }
    }

    @Test
    void deleMarksRsetUnmarksQuitCommits() throws Exception {
        long uid1 = server.deliver(ALICE, FIRST);
        long uid2 = server.deliver(ALICE, SECOND);
        long uid3 = server.deliver(ALICE, NO_FINAL_CRLF);
        try (RawClient c = login()) {
            assertThat(c.command("DELE 1")).isEqualTo("+OK Marked to be deleted.");
            assertThat(c.command("DELE 1")).isEqualTo("-ERR Message is deleted.");
            assertThat(c.command("RETR 1")).isEqualTo("-ERR Message is deleted.");
            assertThat(c.command("LIST 1")).isEqualTo("-ERR Message is deleted.");
            assertThat(c.command("STAT")).isEqualTo("+OK 2 " + (size(SECOND) + size(NO_FINAL_CRLF)));
            assertThat(c.command("LIST")).isEqualTo("+OK 2 messages (" + (size(SECOND) + size(NO_FINAL_CRLF)) + " octets)");
            assertThat(c.readMultiLine()).containsExactly("2 " + size(SECOND), "3 " + size(NO_FINAL_CRLF));
            assertThat(c.command("RSET")).isEqualTo("+OK maildrop has 3 messages ("
                    + (size(FIRST) + size(SECOND) + size(NO_FINAL_CRLF)) + " octets)");
            assertThat(c.command("DELE 2")).isEqualTo("+OK Marked to be deleted.");
            assertThat(c.command("RETR 3")).startsWith("+OK");
            c.readMultiLineBytes();
            assertThat(c.command("NOOP")).isEqualTo("+OK");
            assertThat(c.command("QUIT")).isEqualTo("+OK Logging out, messages deleted.");
            assertThat(c.readLine()).isNull();
        }
        FolderSnapshot after = server.inbox(ALICE).sync();
        assertThat(after.messages()).extracting(MessageRef::uid).containsExactly(uid1, uid3);
        assertThat(after.messages().get(0).flags().contains(SystemFlag.SEEN)).as("not retrieved").isFalse();
        assertThat(after.messages().get(1).flags().contains(SystemFlag.SEEN)).as("retrieved: \\Seen as Dovecot does").isTrue();
        assertThat(uid2).isNotIn(after.messages().stream().map(MessageRef::uid).toList());
    }

    @Test
    void aDroppedConnectionDeletesNothing() throws Exception {
        server.deliver(ALICE, FIRST);
        try (RawClient c = login()) {
            assertThat(c.command("DELE 1")).isEqualTo("+OK Marked to be deleted.");
            assertThat(c.command("RETR 1")).isEqualTo("-ERR Message is deleted.");
        }
        try (RawClient c = login()) {
            assertThat(c.command("STAT")).isEqualTo("+OK 1 " + size(FIRST));
        }
    }

    @Test
    void messageNumbersAreChecked() throws Exception {
        server.deliver(ALICE, FIRST);
        try (RawClient c = login()) {
            assertThat(c.command("RETR 2")).isEqualTo("-ERR There's no message 2.");
            assertThat(c.command("LIST 0")).isEqualTo("-ERR Invalid message number: 0.");
            assertThat(c.command("DELE x")).isEqualTo("-ERR Invalid message number: x.");
            assertThat(c.command("UIDL 99999999999999999999999")).isEqualTo("-ERR There's no message 2147483647.");
            assertThat(c.command("RETR")).isEqualTo("-ERR RETR needs an argument.");
            assertThat(c.command("STAT 1")).isEqualTo("-ERR STAT takes no arguments.");
            assertThat(c.command("USER bob")).isEqualTo("-ERR Already logged in.");
            assertThat(c.command("APOP alice 0123")).isEqualTo("-ERR Unknown command.");
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        server.deliver(ALICE, FIRST);
        server.deliver(ALICE, SECOND);
        try (RawClient c = RawClient.tls(server.tlsPort())) {
            c.readLine();
            c.send("USER " + ALICE + "\r\nPASS " + PASSWORD + "\r\nSTAT\r\nRETR 2\r\nLIST 1\r\nTOP 1 0\r\nDELE 1\r\nUIDL 1\r\nQUIT\r\n");

            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.readLine()).isEqualTo("+OK Logged in.");
            assertThat(c.readLine()).startsWith("+OK 2 ");
            assertThat(c.readLine()).isEqualTo("+OK " + size(SECOND) + " octets");
            assertThat(new String(c.readMultiLineBytes(), StandardCharsets.UTF_8)).isEqualTo(SECOND + ".\r\n");
            assertThat(c.readLine()).isEqualTo("+OK 1 " + size(FIRST));
            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.readMultiLine()).containsExactly("From: a@example.test", "Subject: one", "");
            assertThat(c.readLine()).isEqualTo("+OK Marked to be deleted.");
            assertThat(c.readLine()).isEqualTo("-ERR Message is deleted.");
            assertThat(c.readLine()).isEqualTo("+OK Logging out, messages deleted.");
        }
        assertThat(server.inbox(ALICE).sync().messages()).hasSize(1);
    }

    @Test
    void theSnapshotIgnoresLaterDeliveriesAndSeesExpungesByOthers() throws Exception {
        long uid1 = server.deliver(ALICE, FIRST);
        try (RawClient pop = login()) {
            server.deliver(ALICE, SECOND);
            assertThat(pop.command("STAT")).isEqualTo("+OK 1 " + size(FIRST));

            server.inbox(ALICE).expunge(List.of(uid1)); // as an IMAP session would
            assertThat(pop.command("RETR 1")).isEqualTo("-ERR Message 1 was expunged by another session.");
            assertThat(pop.command("DELE 1")).isEqualTo("+OK Marked to be deleted.");
            assertThat(pop.command("QUIT")).isEqualTo("+OK Logging out, messages deleted.");
        }
        assertThat(server.inbox(ALICE).sync().messages()).hasSize(1);
    }

    @Test
    void twoSessionsOnOneMailboxAreAllowedLikeDovecotsDefault() throws Exception {
        server.deliver(ALICE, FIRST);
        server.deliver(ALICE, SECOND);
        try (RawClient one = login(); RawClient two = login()) {
            assertThat(one.command("DELE 1")).isEqualTo("+OK Marked to be deleted.");
            assertThat(one.command("QUIT")).isEqualTo("+OK Logging out, messages deleted.");

            assertThat(two.command("STAT")).as("its own snapshot").startsWith("+OK 2 ");
            assertThat(two.command("TOP 1 0")).isEqualTo("-ERR Message 1 was expunged by another session.");
            assertThat(two.command("RETR 2")).startsWith("+OK");
            assertThat(new String(two.readMultiLineBytes(), StandardCharsets.UTF_8)).isEqualTo(SECOND + ".\r\n");
        }
    }

    @Test
    void aLargeMessageIsStreamedIntact() throws Exception {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; message.size() < 3_000_000; i++) {
            message.writeBytes(((i % 7 == 0 ? "." : "") + "line " + i + " " + "x".repeat(i % 90) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        byte[] bytes = message.toByteArray();
        server.deliver(ALICE, bytes);
        try (RawClient c = login()) {
            assertThat(c.command("RETR 1")).isEqualTo("+OK " + bytes.length + " octets");
            assertThat(unstuff(c.readMultiLineBytes())).isEqualTo(bytes);
            assertThat(c.command("NOOP")).isEqualTo("+OK");
        }
    }

    /** The message from a multi-line body: dots removed again, terminator dropped (RFC 1939 3). */
    static byte[] unstuff(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        boolean lineStart = true;
        int end = body.length - 3; // ".\r\n"
        for (int i = 0; i < end; i++) {
            if (!(lineStart && body[i] == '.')) {
                out.write(body[i]);
            }
            lineStart = body[i] == '\n';
        }
        return out.toByteArray();
    }
}

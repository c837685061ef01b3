package mailserver.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import mailserver.store.Folder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions on one folder share its message list; each still numbers the messages as it was
 * told: another session's EXPUNGE reaches it only where RFC 3501 7.4.1 / RFC 9051 7.5.1 allow
 * (not while answering FETCH, STORE or SEARCH by message number), while EXISTS and flag
 * changes may come with any command.
 */
class SharedFolderTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ImapClient alice() throws Exception {
        return new ImapClient(server.port("imap")).loginAlice();
    }

    private static Folder folder(String name) throws Exception {
        return server.alice().folder(name);
    }

    private static void deliver(String folder, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            folder(folder).deliver(new ByteArrayInputStream(ImapServerTest.MESSAGE.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void expungeByAnotherSessionWaitsUntilTheRfcAllowsIt() throws Exception {
        try (ImapClient a = alice(); ImapClient b = alice()) {
            a.command("CREATE Shared");
            deliver("Shared", 3);
            assertThat(a.command("SELECT Shared")).contains("* 3 EXISTS");
            assertThat(b.command("SELECT Shared")).contains("* 3 EXISTS");

            b.command("STORE 2 +FLAGS.SILENT (\\Deleted)");
            assertThat(b.command("EXPUNGE")).containsExactly("* 2 EXPUNGE", "t3 OK EXPUNGE completed");

            // A still has three messages: no EXPUNGE after STORE, FETCH or SEARCH by number; once A
            // has heard of the removal, number 2 is skipped, not renumbered.
            assertThat(a.command("STORE 3 +FLAGS (\\Flagged)")).containsExactly("* 3 FETCH (FLAGS (\\Flagged))",
                    "t3 OK STORE completed");
            assertThat(a.command("FETCH 1:3 UID")).containsExactly("* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)",
                    "t4 OK FETCH completed");
            assertThat(a.command("SEARCH ALL")).containsExactly("* SEARCH 1 3", "t5 OK SEARCH completed");
            // B hears of A's flag change with its own numbering, once.
            assertThat(b.command("NOOP")).containsExactly("* 2 FETCH (FLAGS (\\Flagged))", "t4 OK NOOP completed");
            assertThat(b.command("NOOP")).containsExactly("t5 OK NOOP completed");
            // NOOP may expunge: now A renumbers.
            assertThat(a.command("NOOP")).containsExactly("* 2 EXPUNGE", "t6 OK NOOP completed");
            assertThat(a.command("FETCH 1:* UID")).containsExactly("* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)",
                    "t7 OK FETCH completed");
            assertThat(a.command("NOOP")).containsExactly("t8 OK NOOP completed");
        }
    }

    @Test
    void newMessagesArriveWhileAnExpungeIsStillHeldBack() throws Exception {
        try (ImapClient a = alice(); ImapClient b = alice()) {
            a.command("CREATE Pending");
            deliver("Pending", 2);
            a.command("SELECT Pending");
            b.command("SELECT Pending");

            b.command("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(b.command("EXPUNGE")).containsExactly("* 1 EXPUNGE", "t3 OK EXPUNGE completed");
            deliver("Pending", 1);

            // EXISTS counts the message A still holds as number 1.
            assertThat(a.command("FETCH 2 UID")).containsExactly("* 2 FETCH (UID 2)", "* 3 EXISTS",
                    "t3 OK FETCH completed");
            // A UID command may expunge: the FETCH uses the numbers before it.
            assertThat(a.command("UID FETCH 3 UID")).containsExactly("* 3 FETCH (UID 3)", "* 1 EXPUNGE",
                    "t4 OK UID FETCH completed");
            assertThat(a.command("FETCH 1:* UID")).containsExactly("* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)",
                    "t5 OK FETCH completed");
            assertThat(b.command("NOOP")).containsExactly("* 2 EXISTS", "t4 OK NOOP completed");

            // A session selecting now sees the folder as it is.
            try (ImapClient c = alice()) {
                assertThat(c.command("SELECT Pending")).contains("* 2 EXISTS");
                assertThat(c.command("FETCH 1:* UID")).containsExactly("* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)",
                        "t2 OK FETCH completed");
            }
        }
    }

    @Test
    void qresyncSessionHearsVanishedAndFlagChangesWithUids() throws Exception {
        try (ImapClient a = alice(); ImapClient b = alice()) {
            a.command("CREATE Quick");
            deliver("Quick", 3);
            a.command("ENABLE QRESYNC");
            a.command("SELECT Quick");
            b.command("SELECT Quick");

            b.command("STORE 3 +FLAGS.SILENT (\\Seen)");
            b.command("STORE 1:2 +FLAGS.SILENT (\\Deleted)");
            b.command("EXPUNGE");
            String modseq = b.command("FETCH 1 (MODSEQ)").get(0).replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1");
            assertThat(a.command("NOOP")).containsExactly("* 3 FETCH (UID 3 FLAGS (\\Seen) MODSEQ (" + modseq + "))",
                    "* VANISHED 1:2", "t4 OK NOOP completed");
            assertThat(a.command("FETCH 1:* UID")).containsExactly("* 1 FETCH (UID 3)", "t5 OK FETCH completed");
        }
    }
}

package mailserver.imap.server;

import static mailserver.imap.server.ImapClient.last;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running server over a socket, with exact responses where the RFCs fix them. */
class ImapServerTest {

    static final String MESSAGE = "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: Hello\r\n"
            + "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <m1@example.test>\r\n\r\nHello Bob,\r\nhow are you?\r\n";

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

    private static ImapClient client() throws Exception {
        return new ImapClient(server.port("imap"));
    }

    @Test
    void greetingCapabilityNoopLogout() throws Exception {
        try (ImapClient c = new ImapClient(server.port("imap-strict"))) {
            assertThat(c.greeting()).isEqualTo("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS"
                    + " LOGINDISABLED] imap.example.test IMAP ready");
            assertThat(c.command("CAPABILITY")).containsExactly(
                    "* CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS LOGINDISABLED",
                    "t1 OK CAPABILITY completed");
            assertThat(c.command("NOOP")).containsExactly("t2 OK NOOP completed");
            assertThat(c.command("LOGIN alice@example.test secret"))
                    .containsExactly("t3 NO [PRIVACYREQUIRED] Use STARTTLS before LOGIN");
            assertThat(c.command("SELECT INBOX")).containsExactly("t4 BAD Log in first");
            assertThat(c.command("LOGOUT")).containsExactly("* BYE Logging out", "t5 OK LOGOUT completed");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void loginAndAuthenticate() throws Exception {
        try (ImapClient c = client()) {
            c.greeting();
            assertThat(c.command("LOGIN alice@example.test wrong"))
                    .containsExactly("t1 NO [AUTHENTICATIONFAILED] Authentication failed");
            String plain = Base64.getEncoder().encodeToString("\0alice@example.test\0secret".getBytes(StandardCharsets.UTF_8));
            List<String> ok = c.command("AUTHENTICATE PLAIN " + plain);
            assertThat(last(ok)).startsWith("t2 OK [CAPABILITY IMAP4rev1 IMAP4rev2").contains("UIDPLUS", "MOVE", "APPENDLIMIT=")
                    .endsWith("] Logged in");
            assertThat(c.command("LOGIN alice@example.test secret")).containsExactly("t3 BAD Already logged in");
        }
        try (ImapClient c = client()) {
            c.greeting();
            c.send("a AUTHENTICATE LOGIN");
            assertThat(c.line()).isEqualTo("+ VXNlcm5hbWU6");
            c.send(Base64.getEncoder().encodeToString("bob@example.test".getBytes(StandardCharsets.UTF_8)));
            assertThat(c.line()).isEqualTo("+ UGFzc3dvcmQ6");
            c.send(Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8)));
            assertThat(c.line()).startsWith("a OK [CAPABILITY ").endsWith("] Logged in");
        }
        try (ImapClient c = client()) {
            c.greeting();
            c.send("a AUTHENTICATE PLAIN");
            assertThat(c.line()).isEqualTo("+ ");
            c.send("*");
            assertThat(c.line()).isEqualTo("a BAD Authentication cancelled");
        }
    }

    @Test
    void specialUseFoldersListAndNamespace() throws Exception {
        try (ImapClient c = client().login("bob@example.test", "hunter2")) {
            assertThat(c.command("LIST \"\" *")).containsExactly(
                    "* LIST (\\HasNoChildren) \".\" INBOX",
                    "* LIST (\\HasNoChildren \\Archive) \".\" Archive",
                    "* LIST (\\HasNoChildren \\Drafts) \".\" Drafts",
                    "* LIST (\\HasNoChildren \\Junk) \".\" Junk",
                    "* LIST (\\HasNoChildren \\Sent) \".\" Sent",
                    "* LIST (\\HasNoChildren \\Trash) \".\" Trash",
                    "t1 OK LIST completed");
            assertThat(c.command("LIST \"\" \"\"")).containsExactly("* LIST (\\Noselect) \".\" \"\"", "t2 OK LIST completed");
            assertThat(c.command("NAMESPACE")).containsExactly("* NAMESPACE ((\"\" \".\")) NIL NIL", "t3 OK NAMESPACE completed");
            assertThat(c.command("LSUB \"\" S*")).containsExactly("* LSUB () \".\" Sent", "t4 OK LSUB completed");
        }
    }

    @Test
    void createRenameDeleteSubscribeWithModifiedUtf7() throws Exception {
        try (ImapClient c = client().loginAlice()) {
            assertThat(c.command("CREATE Projekte.Entw&APw-rfe")).containsExactly("t1 OK CREATE completed");
            assertThat(c.command("CREATE Projekte")).containsExactly("t2 NO [ALREADYEXISTS] folder Projekte already exists");
            assertThat(c.command("LIST \"\" Projekte*")).containsExactly(
                    "* LIST (\\HasChildren) \".\" Projekte",
                    "* LIST (\\HasNoChildren) \".\" Projekte.Entw&APw-rfe",
                    "t3 OK LIST completed");
            assertThat(c.command("LIST \"\" Projekte%")).containsExactly(
                    "* LIST (\\HasChildren) \".\" Projekte", "t4 OK LIST completed");
            assertThat(c.command("SUBSCRIBE Projekte")).containsExactly("t5 OK SUBSCRIBE completed");
            assertThat(c.command("LIST (SUBSCRIBED) \"\" Proj*")).containsExactly(
                    "* LIST (\\HasChildren \\Subscribed) \".\" Projekte", "t6 OK LIST completed");
            assertThat(c.command("RENAME Projekte Alt")).containsExactly("t7 OK RENAME completed");
            assertThat(c.command("LIST \"\" Alt*")).containsExactly(
                    "* LIST (\\HasChildren) \".\" Alt",
                    "* LIST (\\HasNoChildren) \".\" Alt.Entw&APw-rfe",
                    "t8 OK LIST completed");
            assertThat(c.command("RENAME INBOX Alt")).containsExactly("t9 NO [ALREADYEXISTS] folder Alt already exists");
            assertThat(c.command("DELETE Alt.Entw&APw-rfe")).containsExactly("t10 OK DELETE completed");
            assertThat(c.command("DELETE Nope")).containsExactly("t11 NO [NONEXISTENT] no folder Nope");
            assertThat(c.command("UNSUBSCRIBE Projekte")).containsExactly("t12 OK UNSUBSCRIBE completed");
        }
    }

    @Test
    void renameInboxMovesItsMessagesAndLeavesItsChildren() throws Exception {
        server.directory.addAccount(mailserver.core.mail.MailAddress.parse("dave@example.test"), "pw".toCharArray(), 0, "Dave");
        try (ImapClient c = client().login("dave@example.test", "pw")) {
            c.command("APPEND INBOX (\\Seen $Work) {" + MESSAGE.length() + "+}\r\n" + MESSAGE);
            c.command("APPEND INBOX (\\Flagged) {" + MESSAGE.length() + "+}\r\n" + MESSAGE);
            assertThat(c.command("CREATE INBOX.Child")).containsExactly("t3 OK CREATE completed");
            assertThat(c.command("SELECT INBOX")).contains("* 2 EXISTS");
            assertThat(c.command("RENAME INBOX Old.Mail")).containsExactly(
                    "* 1 EXPUNGE", "* 1 EXPUNGE", "t5 OK RENAME completed");
            assertThat(c.command("STATUS INBOX (MESSAGES)")).containsExactly(
                    "* STATUS INBOX (MESSAGES 0)", "t6 OK STATUS completed");
            assertThat(c.command("LIST \"\" *")).contains(
                    "* LIST (\\HasChildren) \".\" INBOX", "* LIST (\\HasNoChildren) \".\" INBOX.Child",
                    "* LIST (\\HasChildren) \".\" Old", "* LIST (\\HasNoChildren) \".\" Old.Mail");
            assertThat(c.command("EXAMINE Old.Mail")).contains("* 2 EXISTS");
            assertThat(c.command("FETCH 1:2 FLAGS")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Seen $Work))", "* 2 FETCH (FLAGS (\\Flagged))", "t9 OK FETCH completed");
            assertThat(c.command("RENAME INBOX Old.Mail")).containsExactly(
                    "t10 NO [ALREADYEXISTS] folder Old.Mail already exists");
        }
    }

    @Test
    void searchBodyAndTextMatchDecodedText() throws Exception {
        String quotedPrintable = "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nSch=C3=B6ne Gr=C3=BC=C3=9Fe\r\n";
        String base64 = "Subject: report\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "UXVhcnRlcmx5IGZpZ3VyZXM=\r\n--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "c2VjcmV0IGF0dGFjaG1lbnQ=\r\n--b--\r\n";
        try (ImapClient c = client().loginAlice()) {
            assertThat(c.command("CREATE Decoded")).containsExactly("t1 OK CREATE completed");
            c.command("APPEND Decoded {" + quotedPrintable.length() + "+}\r\n" + quotedPrintable);
            c.command("APPEND Decoded {" + base64.length() + "+}\r\n" + base64);
            c.command("SELECT Decoded");
            assertThat(c.command("SEARCH CHARSET UTF-8 BODY {2+}\r\nü")).containsExactly("* SEARCH 1", "t5 OK SEARCH completed");
            assertThat(c.command("SEARCH BODY \"=C3=BC\"")).containsExactly("* SEARCH", "t6 OK SEARCH completed");
            assertThat(c.command("SEARCH BODY quarterly")).containsExactly("* SEARCH 2", "t7 OK SEARCH completed");
            assertThat(c.command("SEARCH BODY UXVhcnRlcmx5")).containsExactly("* SEARCH", "t8 OK SEARCH completed");
            assertThat(c.command("SEARCH TEXT secret")).containsExactly("* SEARCH", "t9 OK SEARCH completed");
            assertThat(c.command("SEARCH CHARSET UTF-8 TEXT {4+}\r\nGRÜ")).containsExactly("* SEARCH 1", "t10 OK SEARCH completed");
            assertThat(c.command("SEARCH TEXT report")).containsExactly("* SEARCH 2", "t11 OK SEARCH completed");
            assertThat(c.command("SEARCH BODY report")).containsExactly("* SEARCH", "t12 OK SEARCH completed");
        }
    }

    @Test
    void appendSelectFetchStoreSearchCopyMoveExpunge() throws Exception {
        try (ImapClient c = client().loginAlice()) {
            assertThat(c.command("CREATE Work")).containsExactly("t1 OK CREATE completed");
            c.send("a1 APPEND Work (\\Seen) \" 7-Feb-1994 21:52:25 -0800\" {" + MESSAGE.length() + "}");
            assertThat(c.line()).isEqualTo("+ Ready for literal data");
            c.sendRaw((MESSAGE + "\r\n").getBytes(StandardCharsets.US_ASCII));
            List<String> appended = c.until("a1");
            assertThat(last(appended)).matches("a1 OK \\[APPENDUID \\d+ 1\\] APPEND completed");
            String uidValidity = last(appended).split(" ")[3];
            c.send("a2 APPEND Work {" + MESSAGE.length() + "+}");
            c.sendRaw((MESSAGE + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(last(c.until("a2"))).isEqualTo("a2 OK [APPENDUID " + uidValidity + " 2] APPEND completed");

            assertThat(c.command("SELECT Work")).containsExactly(
                    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted",
                    "* 2 EXISTS",
                    "* 0 RECENT",
                    "* OK [UNSEEN 2] First unseen",
                    "* OK [UIDVALIDITY " + uidValidity + "] UIDs valid",
                    "* OK [UIDNEXT 3] Predicted next UID",
                    "t2 OK [READ-WRITE] SELECT completed");
            assertThat(c.command("FETCH 1 (UID FLAGS RFC822.SIZE INTERNALDATE)")).containsExactly(
                    "* 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE " + MESSAGE.length() + " INTERNALDATE \""
                            + mailserver.imap.response.ImapDates.dateTime(java.time.Instant.parse("1994-02-08T05:52:25Z")) + "\")",
                    "t3 OK FETCH completed");
            assertThat(c.command("FETCH 1 ENVELOPE")).containsExactly(
                    "* 1 FETCH (ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" \"Hello\" ((\"Alice\" NIL \"alice\" \"example.test\"))"
                            + " ((\"Alice\" NIL \"alice\" \"example.test\")) ((\"Alice\" NIL \"alice\" \"example.test\"))"
                            + " ((NIL NIL \"bob\" \"example.test\")) NIL NIL NIL \"<m1@example.test>\"))",
                    "t4 OK FETCH completed");
            assertThat(c.command("FETCH 1 BODYSTRUCTURE")).containsExactly(
                    "* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 26 2 NIL NIL NIL NIL))",
                    "t5 OK FETCH completed");
            assertThat(c.command("UID FETCH 2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT]<6.3>)")).containsExactly(
                    "* 2 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Hello\r\n\r\n BODY[TEXT]<6> {3}\r\nBob)",
                    "t6 OK UID FETCH completed");
            assertThat(c.command("FETCH 2 BODY[]<0.4>")).containsExactly(
                    "* 2 FETCH (BODY[]<0> {4}\r\nFrom FLAGS (\\Seen))", "t7 OK FETCH completed");
            assertThat(c.command("STORE 1:2 +FLAGS (\\Flagged $Important)")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Flagged \\Seen $Important))",
                    "* 2 FETCH (FLAGS (\\Flagged \\Seen $Important))",
                    "t8 OK STORE completed");
            assertThat(c.command("UID STORE 2 -FLAGS.SILENT (\\Seen)")).containsExactly("t9 OK UID STORE completed");
            assertThat(c.command("SEARCH UNSEEN")).containsExactly("* SEARCH 2", "t10 OK SEARCH completed");
            assertThat(c.command("UID SEARCH KEYWORD $Important BODY \"how ARE\"")).containsExactly("* SEARCH 1 2",
                    "t11 OK UID SEARCH completed");
            assertThat(c.command("SEARCH RETURN (MIN MAX COUNT) ALL")).containsExactly(
                    "* ESEARCH (TAG \"t12\") MIN 1 MAX 2 COUNT 2", "t12 OK SEARCH completed");
            assertThat(c.command("SEARCH CHARSET KOI8-R ALL")).containsExactly(
                    "t13 NO [BADCHARSET (UTF-8 US-ASCII)] Charset not supported");
            List<String> copied = c.command("COPY 1:2 Archive");
            assertThat(last(copied)).matches("t14 OK \\[COPYUID \\d+ 1:2 1:2\\] COPY completed");
            assertThat(c.command("COPY 1 Nowhere")).containsExactly("t15 NO [TRYCREATE] no folder Nowhere");
            List<String> moved = c.command("MOVE 1 Trash");
            assertThat(moved).hasSize(3);
            assertThat(moved.get(0)).matches("\\* OK \\[COPYUID \\d+ 1 1\\] Moved");
            assertThat(moved.subList(1, 3)).containsExactly("* 1 EXPUNGE", "t16 OK MOVE completed");
            assertThat(c.command("STORE 1 +FLAGS.SILENT (\\Deleted)")).containsExactly("t17 OK STORE completed");
            assertThat(c.command("EXPUNGE")).containsExactly("* 1 EXPUNGE", "t18 OK EXPUNGE completed");
            assertThat(c.command("STATUS Archive (MESSAGES UIDNEXT UNSEEN SIZE)")).containsExactly(
                    "* STATUS Archive (MESSAGES 2 UIDNEXT 3 UNSEEN 1 SIZE " + 2 * MESSAGE.length() + ")", "t19 OK STATUS completed");
            assertThat(c.command("FETCH 1 FLAGS")).containsExactly("t20 BAD Invalid message number: the mailbox is empty");
            assertThat(c.command("UNSELECT")).containsExactly("t21 OK UNSELECT completed");
            assertThat(c.command("FETCH 1 FLAGS")).containsExactly("t22 BAD No mailbox selected");
        }
    }

    @Test
    void examineIsReadOnlyAndCloseExpungesSilently() throws Exception {
        server.alice().folder("INBOX").deliver(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
        try (ImapClient c = client().loginAlice()) {
            List<String> examine = c.command("EXAMINE INBOX");
            assertThat(examine).contains("* OK [PERMANENTFLAGS ()] Flags permitted");
            assertThat(last(examine)).isEqualTo("t1 OK [READ-ONLY] EXAMINE completed");
            assertThat(c.command("STORE 1 +FLAGS (\\Deleted)")).containsExactly("t2 NO [READ-ONLY] Mailbox is read-only");
            assertThat(c.command("FETCH 1 (FLAGS BODY[TEXT])")).containsExactly(
                    "* 1 FETCH (FLAGS () BODY[TEXT] {26}\r\nHello Bob,\r\nhow are you?\r\n)", "t3 OK FETCH completed");
        }
    }

    @Test
    void otherSessionsChangesArriveAsUntaggedResponsesAndInIdle() throws Exception {
        try (ImapClient a = client().loginAlice(); ImapClient b = client().loginAlice()) {
            a.command("CREATE Shared");
            a.command("SELECT Shared");
            b.command("SELECT Shared");
            b.send("ap APPEND Shared {" + MESSAGE.length() + "+}");
            b.sendRaw((MESSAGE + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(b.until("ap")).containsExactly("* 1 EXISTS", "ap OK [APPENDUID " + uidValidityOf(b, "Shared") + " 1] APPEND completed");
            assertThat(a.command("NOOP")).containsExactly("* 1 EXISTS", "t3 OK NOOP completed");
            b.command("STORE 1 +FLAGS.SILENT (\\Answered)");
            assertThat(a.command("FETCH 1 UID")).containsExactly("* 1 FETCH (UID 1)", "* 1 FETCH (FLAGS (\\Answered))",
                    "t4 OK FETCH completed");

            a.send("idle1 IDLE");
            assertThat(a.line()).isEqualTo("+ idling");
            server.alice().folder("Shared").deliver(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
            assertThat(a.line()).isEqualTo("* 2 EXISTS");
            b.command("STORE 1 +FLAGS.SILENT (\\Deleted)");
            b.command("EXPUNGE");
            String line = a.line();
            if (line.startsWith("* 1 FETCH")) {
                // the \Deleted flag reached the IDLE before the expunge did: both are news
                assertThat(line).isEqualTo("* 1 FETCH (FLAGS (\\Answered \\Deleted))");
                line = a.line();
            }
            assertThat(line).isEqualTo("* 1 EXPUNGE");
            a.send("DONE");
            assertThat(a.line()).isEqualTo("idle1 OK IDLE terminated");
        }
    }

    private static String uidValidityOf(ImapClient c, String folder) throws Exception {
        String status = c.command("STATUS " + folder + " (UIDVALIDITY)").get(0);
        return status.replaceAll(".*UIDVALIDITY (\\d+).*", "$1");
    }

    @Test
    void lostUidValidityEndsTheSession() throws Exception {
        try (ImapClient c = client().loginAlice()) {
            c.command("CREATE Lost");
            c.send("a APPEND Lost {" + MESSAGE.length() + "+}");
            c.sendRaw((MESSAGE + "\r\n").getBytes(StandardCharsets.US_ASCII));
            c.until("a");
            c.command("SELECT Lost");
            java.nio.file.Files.delete(server.maildirRoot.resolve("example.test/alice/.Lost/dovecot-uidlist"));
            c.send("n NOOP");
            assertThat(c.line()).isEqualTo("* BYE Mailbox UIDVALIDITY changed, please reconnect");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void idAndEnableAndQuota() throws Exception {
        try (ImapClient c = client().loginAlice()) {
            assertThat(c.command("ID (\"name\" \"test\")"))
                    .containsExactly("* ID (\"name\" \"mailserver\" \"vendor\" \"mailserver\")", "t1 OK ID completed");
            assertThat(c.command("ENABLE CONDSTORE X-UNKNOWN UTF8=ACCEPT"))
                    .containsExactly("* ENABLED CONDSTORE UTF8=ACCEPT", "t2 OK ENABLE completed");
            assertThat(c.command("GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT INBOX \"\"", "* QUOTA \"\" ()",
                    "t3 OK GETQUOTAROOT completed");
            assertThat(c.command("CREATE \"Entwürfe\"")).containsExactly("t4 OK CREATE completed");
            assertThat(c.command("LIST \"\" Entw*")).containsExactly("* LIST (\\HasNoChildren) \".\" \"Entwürfe\"",
                    "t5 OK LIST completed");
        }
    }

    @Test
    void badCommandsAndLimits() throws Exception {
        try (ImapClient c = client()) {
            c.greeting();
            assertThat(c.command("FROB")).containsExactly("t1 BAD Unknown command FROB");
            c.send("+++");
            assertThat(c.line()).isEqualTo("* BAD Expected a tag");
            c.send("big LOGIN {999999999999}");
            assertThat(c.line()).startsWith("big BAD [TOOBIG] Literal larger than");
            assertThat(c.command("NOOP")).containsExactly("t2 OK NOOP completed");
        }
    }

    @Test
    void tooManyBadCommandsEndTheSession() throws Exception {
        try (ImapClient c = client()) {
            c.greeting();
            for (int i = 1; i < 20; i++) {
                c.command("BOGUS");
            }
            c.send("x BOGUS");
            assertThat(c.line()).isEqualTo("x BAD Unknown command BOGUS");
            assertThat(c.line()).isEqualTo("* BYE Too many invalid commands");
            assertThat(c.closedByServer()).isTrue();
        }
    }
}

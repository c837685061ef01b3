package mailserver.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import mailserver.imap.parse.FetchAttribute.Simple;
import mailserver.store.FlagUpdate;
import mailserver.store.Flags;
import mailserver.store.SystemFlag;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void simpleCommandsAnyCase() throws Exception {
        assertThat(Wire.parse("a1 capability\r\n")).isEqualTo(new Command.Simple("a1", "CAPABILITY"));
        assertThat(Wire.parse("A2 NOOP\r\n")).isEqualTo(new Command.Simple("A2", "NOOP"));
        assertThat(Wire.parse("x unselect\n")).isEqualTo(new Command.Simple("x", "UNSELECT"));
    }

    @Test
    void loginWithAtomQuotedAndLiteral() throws Exception {
        Command.Login login = (Command.Login) Wire.parse("a LOGIN \"al\\\"ice\" {5}\r\npa ss\r\n");
        assertThat(login.user()).isEqualTo("al\"ice");
        assertThat(login.password()).isEqualTo("pa ss");
        Command.Login plus = (Command.Login) Wire.parse("a LOGIN alice@example.test {3+}\r\nabc\r\n");
        assertThat(plus.password()).isEqualTo("abc");
    }

    @Test
    void authenticateWithInitialResponse() throws Exception {
        assertThat(Wire.parse("a AUTHENTICATE plain AGFsaWNlAHNlY3JldA==\r\n"))
                .isEqualTo(new Command.Authenticate("a", "PLAIN", "AGFsaWNlAHNlY3JldA=="));
        assertThat(Wire.parse("a AUTHENTICATE LOGIN\r\n")).isEqualTo(new Command.Authenticate("a", "LOGIN", null));
        assertThat(Wire.parse("a AUTHENTICATE PLAIN =\r\n")).isEqualTo(new Command.Authenticate("a", "PLAIN", "="));
    }

    @Test
    void selectWithCondstoreAndQresync() throws Exception {
        assertThat(Wire.parse("a select inbox\r\n")).isEqualTo(new Command.Select("a", "INBOX", false, false, null));
        assertThat(Wire.parse("a EXAMINE Sent (CONDSTORE)\r\n")).isEqualTo(new Command.Select("a", "Sent", true, true, null));
        Command.Select q = (Command.Select) Wire.parse("a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))\r\n");
        assertThat(q.qresync().uidValidity()).isEqualTo(67890007L);
        assertThat(q.qresync().modseq()).isEqualTo(20050715194045000L);
        assertThat(q.qresync().knownUids().toString()).isEqualTo("41,43:211,214:541");
        Command.Select match = (Command.Select) Wire.parse("a SELECT INBOX (QRESYNC (1 2 1:5 (1:3 10:12)))\r\n");
        assertThat(match.qresync().knownUids().toString()).isEqualTo("1:5");
    }

    @Test
    void mailboxNamesAreDecodedFromModifiedUtf7OrTakenAsUtf8() throws Exception {
        assertThat(Wire.parse("a CREATE Entw&APw-rfe\r\n")).isEqualTo(new Command.OnMailbox("a", "CREATE", "Entwürfe"));
        assertThatThrownBy(() -> Wire.parse("a CREATE &Jjo\r\n")).isInstanceOf(ImapParseException.class)
                .hasMessageContaining("modified UTF-7");
        Command utf8 = new CommandParser(ImapLimits.DEFAULT).parse(Wire.raw("a CREATE \"Entwürfe&\"\r\n"), true);
        assertThat(utf8).isEqualTo(new Command.OnMailbox("a", "CREATE", "Entwürfe&"));
        assertThat(Wire.parse("a RENAME \"a b\" {3}\r\nc d\r\n")).isEqualTo(new Command.Rename("a", "a b", "c d"));
    }

    @Test
    void listExtended() throws Exception {
        assertThat(Wire.parse("a LIST \"\" %\r\n"))
                .isEqualTo(new Command.ListMailboxes("a", false, List.of(), "", List.of("%"), List.of(), List.of()));
        Command.ListMailboxes l = (Command.ListMailboxes) Wire.parse(
                "a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (INBOX* Sent%) RETURN (CHILDREN STATUS (MESSAGES UIDNEXT))\r\n");
        assertThat(l.selection()).containsExactly("SUBSCRIBED", "RECURSIVEMATCH");
        assertThat(l.patterns()).containsExactly("INBOX*", "Sent%");
        assertThat(l.returns()).containsExactly("CHILDREN", "STATUS");
        assertThat(l.statusItems()).containsExactly(StatusItem.MESSAGES, StatusItem.UIDNEXT);
        assertThat(Wire.parse("a LSUB \"\" *\r\n"))
                .isEqualTo(new Command.ListMailboxes("a", true, List.of(), "", List.of("*"), List.of(), List.of()));
    }

    @Test
    void status() throws Exception {
        assertThat(Wire.parse("a STATUS INBOX (MESSAGES UNSEEN size highestmodseq)\r\n")).isEqualTo(new Command.Status("a", "INBOX",
                List.of(StatusItem.MESSAGES, StatusItem.UNSEEN, StatusItem.SIZE, StatusItem.HIGHESTMODSEQ)));
        assertThatThrownBy(() -> Wire.parse("a STATUS INBOX (FOO)\r\n")).hasMessageContaining("FOO");
    }

    @Test
    void appendWithFlagsDateAndMultipleMessages() throws Exception {
        String wire = "a APPEND Drafts (\\Seen $Forwarded) \" 7-Feb-1994 21:52:25 -0800\" {5}\r\nhello {3+}\r\nabc ~{2}\r\nxy\r\n";
        Command.Append append = (Command.Append) Wire.parse(wire);
        assertThat(append.mailbox()).isEqualTo("Drafts");
        assertThat(append.messages()).hasSize(3);
        Command.AppendMessage first = append.messages().get(0);
        assertThat(first.flags()).isEqualTo(Flags.of(SystemFlag.SEEN).withKeywords("$Forwarded"));
        assertThat(first.internalDate()).isEqualTo(Instant.parse("1994-02-08T05:52:25Z"));
        assertThat(first.message().open().readAllBytes()).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(append.messages().get(2).message().binary()).isTrue();
        append.close();
    }

    @Test
    void searchKeys() throws Exception {
        Command.Search s = (Command.Search) Wire.parse(
                "a UID SEARCH RETURN (MIN COUNT) CHARSET utf-8 1:* UNSEEN OR FROM alice (SUBJECT \"hi there\" LARGER 100) "
                        + "NOT KEYWORD $Junk SINCE 1-Feb-1994 SENTBEFORE \"23-Dec-2023\" UID 5:* HEADER x-spam yes MODSEQ 7 NEW\r\n");
        assertThat(s.uid()).isTrue();
        assertThat(s.charset()).isEqualTo("UTF-8");
        assertThat(s.returns()).containsExactly("MIN", "COUNT");
        assertThat(s.key()).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Sequence(SequenceSet.of(1, SequenceSet.STAR), false),
                new SearchKey.Flag("\\Seen", false),
                new SearchKey.Or(new SearchKey.Header("FROM", "alice"),
                        new SearchKey.And(List.of(new SearchKey.Header("SUBJECT", "hi there"), new SearchKey.Size(true, 100)))),
                new SearchKey.Not(new SearchKey.Flag("$Junk", true)),
                new SearchKey.DateCompare(false, SearchKey.Comparison.SINCE, LocalDate.of(1994, 2, 1)),
                new SearchKey.DateCompare(true, SearchKey.Comparison.BEFORE, LocalDate.of(2023, 12, 23)),
                new SearchKey.Sequence(SequenceSet.of(5, SequenceSet.STAR), true),
                new SearchKey.Header("X-SPAM", "yes"),
                new SearchKey.ModSeq(7),
                new SearchKey.And(List.of(new SearchKey.Flag("\\Recent", true), new SearchKey.Flag("\\Seen", false))))));
        assertThat(((Command.Search) Wire.parse("a SEARCH $\r\n")).key())
                .isEqualTo(new SearchKey.Sequence(SequenceSet.SAVED, false));
    }

    @Test
    void everyRfc3501SearchKeyParses() throws Exception {
        String[] keys = {"ALL", "ANSWERED", "BCC x", "BEFORE 1-Jan-2000", "BODY x", "CC x", "DELETED", "DRAFT", "FLAGGED",
            "FROM x", "HEADER a b", "KEYWORD k", "LARGER 1", "NEW", "NOT ALL", "OLD", "ON 1-Jan-2000", "OR ALL ALL", "RECENT",
            "SEEN", "SENTBEFORE 1-Jan-2000", "SENTON 1-Jan-2000", "SENTSINCE 1-Jan-2000", "SINCE 1-Jan-2000", "SMALLER 1",
            "SUBJECT x", "TEXT x", "TO x", "UID 1", "UNANSWERED", "UNDELETED", "UNDRAFT", "UNFLAGGED", "UNKEYWORD k",
            "UNSEEN", "1:2", "(ALL)", "YOUNGER 60", "OLDER 60", "MODSEQ \"/flags/\\\\seen\" all 5"};
        for (String key : keys) {
            assertThat(Wire.parse("a SEARCH " + key + "\r\n")).as(key).isInstanceOf(Command.Search.class);
        }
    }

    @Test
    void fetchAttributesAndSections() throws Exception {
        Command.Fetch f = (Command.Fetch) Wire.parse(
                "a FETCH 1:3,5 (FLAGS BODY.PEEK[1.2.HEADER.FIELDS (Subject from)]<0.100> BODY[] BINARY[1]<5.10> "
                        + "BINARY.SIZE[2] RFC822.SIZE BODY[2.MIME] BODY[TEXT] BODY)\r\n");
        assertThat(f.set().toString()).isEqualTo("1:3,5");
        assertThat(f.attributes()).containsExactly(
                Simple.FLAGS,
                new FetchAttribute.BodySection(new Section(List.of(1, 2), Section.Text.HEADER_FIELDS, List.of("SUBJECT", "FROM")),
                        true, new Partial(0, 100)),
                new FetchAttribute.BodySection(Section.WHOLE, false, null),
                new FetchAttribute.Binary(List.of(1), false, new Partial(5, 10)),
                new FetchAttribute.BinarySize(List.of(2)),
                Simple.RFC822_SIZE,
                new FetchAttribute.BodySection(new Section(List.of(2), Section.Text.MIME, List.of()), false, null),
                new FetchAttribute.BodySection(new Section(List.of(), Section.Text.TEXT, List.of()), false, null),
                Simple.BODY);
        assertThat(((Command.Fetch) Wire.parse("a FETCH * FAST\r\n")).attributes())
                .containsExactly(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE);
        Command.Fetch uid = (Command.Fetch) Wire.parse("a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n");
        assertThat(uid.attributes()).containsExactly(Simple.UID, Simple.FLAGS, Simple.MODSEQ);
        assertThat(uid.changedSince()).isEqualTo(12345);
        assertThat(uid.vanished()).isTrue();
    }

    @Test
    void store() throws Exception {
        assertThat(Wire.parse("a UID STORE 1:* (UNCHANGEDSINCE 5) +FLAGS.SILENT (\\Deleted $Junk)\r\n"))
                .isEqualTo(new Command.Store("a", true, SequenceSet.of(1, SequenceSet.STAR), 5, FlagUpdate.ADD, true,
                        Flags.of(SystemFlag.DELETED).withKeywords("$Junk")));
        assertThat(Wire.parse("a STORE 2 -FLAGS \\Seen \\Flagged\r\n"))
                .isEqualTo(new Command.Store("a", false, SequenceSet.of(2, 2), -1, FlagUpdate.REMOVE, false,
                        Flags.of(SystemFlag.SEEN, SystemFlag.FLAGGED)));
        assertThatThrownBy(() -> Wire.parse("a STORE 2 FLAGS (\\Bogus)\r\n")).hasMessageContaining("\\Bogus");
    }

    @Test
    void copyMoveExpungeIdQuota() throws Exception {
        assertThat(Wire.parse("a UID MOVE 4:7 Trash\r\n")).isEqualTo(new Command.Copy("a", true, true, SequenceSet.of(4, 7), "Trash"));
        assertThat(Wire.parse("a COPY 1 Archive\r\n")).isEqualTo(new Command.Copy("a", false, false, SequenceSet.of(1, 1), "Archive"));
        assertThat(Wire.parse("a UID EXPUNGE 3:5\r\n")).isEqualTo(new Command.UidExpunge("a", SequenceSet.of(3, 5)));
        assertThat(Wire.parse("a ID (\"name\" \"Thunderbird\" \"version\" NIL)\r\n")).isEqualTo(new Command.Id("a",
                new java.util.LinkedHashMap<>(Map.of("name", "Thunderbird")) {
                    {
                        put("version", null);
                    }
                }));
        assertThat(Wire.parse("a ID NIL\r\n")).isEqualTo(new Command.Id("a", Map.of()));
        assertThat(Wire.parse("a GETQUOTAROOT INBOX\r\n")).isEqualTo(new Command.OnMailbox("a", "GETQUOTAROOT", "INBOX"));
        assertThat(Wire.parse("a GETQUOTA \"\"\r\n")).isEqualTo(new Command.GetQuota("a", ""));
        assertThat(Wire.parse("a ENABLE CONDSTORE utf8=accept\r\n"))
                .isEqualTo(new Command.Enable("a", List.of("CONDSTORE", "UTF8=ACCEPT")));
    }

    @Test
    void sortAndThread() throws Exception {
        assertThat(Wire.parse("a UID SORT (REVERSE DATE subject) UTF-8 SEEN\r\n")).isEqualTo(new Command.Sort("a", true,
                List.of(new Command.SortKey(Command.SortCriterion.DATE, true), new Command.SortKey(Command.SortCriterion.SUBJECT, false)),
                "UTF-8", new SearchKey.Flag("\\Seen", true)));
        assertThat(Wire.parse("a THREAD orderedsubject US-ASCII ALL\r\n"))
                .isEqualTo(new Command.ThreadMessages("a", false, "ORDEREDSUBJECT", "US-ASCII", new SearchKey.All()));
        assertThatThrownBy(() -> Wire.parse("a SORT (NAME) UTF-8 ALL\r\n")).hasMessageContaining("NAME");
        assertThatThrownBy(() -> Wire.parse("a SORT (DATE) UTF-8\r\n")).hasMessageContaining("search keys");
    }

    @Test
    void errorsCarryTheTag() {
        assertThatThrownBy(() -> Wire.parse("t1 FROB\r\n")).isInstanceOfSatisfying(ImapParseException.class,
                e -> assertThat(e.tag()).isEqualTo("t1"));
        assertThatThrownBy(() -> Wire.parse("t2 FETCH 0 FLAGS\r\n")).isInstanceOfSatisfying(ImapParseException.class,
                e -> assertThat(e.tag()).isEqualTo("t2"));
        assertThatThrownBy(() -> Wire.parse("+ NOOP\r\n")).isInstanceOfSatisfying(ImapParseException.class,
                e -> assertThat(e.tag()).isNull());
        assertThatThrownBy(() -> Wire.parse("a NOOP extra\r\n")).isInstanceOf(ImapParseException.class);
        assertThatThrownBy(() -> Wire.parse("a LOGIN \"unterminated\r\n")).isInstanceOf(ImapParseException.class);
        assertThatThrownBy(() -> Wire.parse("a FETCH 1 BODY[1.MIME.TEXT]\r\n")).isInstanceOf(ImapParseException.class);
        assertThatThrownBy(() -> Wire.parse("a FETCH 1 BODY[MIME]\r\n")).isInstanceOf(ImapParseException.class);
        assertThatThrownBy(() -> Wire.parse("a SEARCH SINCE 31-Feb-2020\r\n")).hasMessageContaining("No such date");
    }

    @Test
    void nestingIsLimited() {
        String deep = "(".repeat(200) + "ALL" + ")".repeat(200);
        assertThatThrownBy(() -> Wire.parse("a SEARCH " + deep + "\r\n")).hasMessageContaining("Nested deeper");
        String nots = "NOT ".repeat(5000) + "ALL";
        assertThatThrownBy(() -> Wire.parse("a SEARCH " + nots + "\r\n")).hasMessageContaining("Nested deeper");
    }

    @Test
    void literalsOverTheLimitAreRefusedBeforeTheirBytes() throws IOException {
        CommandAssembler assembler = new CommandAssembler(ImapLimits.DEFAULT.withMaxLiteralSize(10), java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        CommandAssembler.Progress sync = assembler.line("a APPEND INBOX {11}\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(sync).isInstanceOfSatisfying(CommandAssembler.Rejected.class, r -> {
            assertThat(r.fatal()).isFalse();
            assertThat(r.error().responseCode()).isEqualTo("TOOBIG");
            assertThat(r.error().tag()).isEqualTo("a");
        });
        CommandAssembler.Progress plus = assembler.line("b APPEND INBOX {11+}\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(plus).isInstanceOfSatisfying(CommandAssembler.Rejected.class, r -> assertThat(r.fatal()).isTrue());
        assertThat(assembler.line("c APPEND INBOX {10}\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new CommandAssembler.NeedLiteral(10, true));
    }

    @Test
    void largeLiteralsAreSpooledAndDeleted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spool) throws Exception {
        ImapLimits limits = new ImapLimits(1000, 1 << 20, 10, 10_000, 10, 16);
        CommandAssembler assembler = new CommandAssembler(limits, spool);
        Wire wire = new Wire();
        byte[] body = "x".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        wire.feed(assembler, ("a APPEND INBOX {1000}\r\n" + new String(body, StandardCharsets.US_ASCII) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        RawCommand raw = ((CommandAssembler.Complete) wire.progress.get(wire.progress.size() - 1)).command();
        assertThat(java.nio.file.Files.list(spool)).hasSize(1);
        Command.Append append = (Command.Append) new CommandParser(limits).parse(raw, false);
        assertThat(append.messages().get(0).message().open().readAllBytes()).isEqualTo(body);
        raw.close();
        assertThat(java.nio.file.Files.list(spool)).isEmpty();
        assertThatThrownBy(() -> {
            Wire w = new Wire();
            w.feed(new CommandAssembler(limits, spool), ("a LOGIN {1000}\r\n" + "x".repeat(1000) + " p\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            new CommandParser(limits).parse(((CommandAssembler.Complete) w.progress.get(w.progress.size() - 1)).command(), false);
        }).hasMessageContaining("String longer");
    }
}

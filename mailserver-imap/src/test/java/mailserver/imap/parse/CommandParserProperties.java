package mailserver.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CommandParserProperties {

    private static final ImapLimits LIMITS = new ImapLimits(2000, 10_000, 20, 20_000, 20, 1_000_000);
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    @Property(tries = 2000)
    void randomBytesOnlyEverGiveProtocolErrors(@ForAll byte[] bytes) {
        feedAndParse(bytes);
    }

    @Property(tries = 3000)
    void commandShapedNoiseOnlyEverGivesProtocolErrors(@ForAll("commandNoise") String wire) {
        feedAndParse(wire.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> commandNoise() {
        Arbitrary<String> token = Arbitraries.of("a", "UID", "FETCH", "SEARCH", "STORE", "APPEND", "LIST", "SELECT",
                "STATUS", "LOGIN", "AUTHENTICATE", "ID", "ENABLE", "COPY", "MOVE", "EXPUNGE", "RENAME", "NIL", "BODY[",
                "BODY.PEEK[", "]", "1.2", "HEADER.FIELDS", "(", ")", "<", ">", "0", "1", "*", ":", ",", "$", "\"", "\\",
                "{3}\r\nabc", "{2+}\r\nxy", "~{1}\r\nz", "{0}\r\n", "OR", "NOT", "1-Feb-1994", "\"01-Feb-1994 21:52:25 -0800\"",
                "+FLAGS", "\\Seen", "(UNCHANGEDSINCE", "CHANGEDSINCE", "RETURN", "CHARSET", "QRESYNC", "&Jjo-", "&", " ",
                " ", " ", "%", "BINARY[", "MIME", "TEXT", "FLAGS.SILENT", ".", "-", "\r\n");
        return token.list().ofMaxSize(40).map(tokens -> "a " + String.join("", tokens) + "\r\n");
    }

    private static void feedAndParse(byte[] bytes) {
        CommandAssembler assembler = new CommandAssembler(LIMITS, TMP);
        Wire wire = new Wire();
        wire.feed(assembler, bytes);
        CommandParser parser = new CommandParser(LIMITS);
        for (CommandAssembler.Progress progress : wire.progress) {
            if (progress instanceof CommandAssembler.Complete complete) {
                try (RawCommand raw = complete.command()) {
                    parser.parse(raw, false);
                    parser.parse(raw, true);
                } catch (ImapParseException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
        assembler.reset();
    }

    @Property
    void sequenceSetsRoundTrip(@ForAll("sequenceSets") SequenceSet set) throws Exception {
        Command.UidExpunge parsed = (Command.UidExpunge) Wire.parse("a UID EXPUNGE " + set + "\r\n");
        assertThat(parsed.set()).isEqualTo(set);
    }

    @Provide
    Arbitrary<SequenceSet> sequenceSets() {
        Arbitrary<Long> number = Arbitraries.oneOf(Arbitraries.longs().between(1, 0xffffffffL), Arbitraries.just(SequenceSet.STAR));
        Arbitrary<SequenceSet.Range> range = Combinators.combine(number, number).as(SequenceSet.Range::new);
        return Arbitraries.oneOf(range.list().ofMinSize(1).ofMaxSize(10).map(SequenceSet::of), Arbitraries.just(SequenceSet.SAVED));
    }

    @Property
    void sectionsRoundTrip(@ForAll("sections") Section section) throws Exception {
        Command.Fetch fetch = (Command.Fetch) Wire.parse("a FETCH 1 BODY.PEEK[" + section + "]\r\n");
        assertThat(fetch.attributes()).containsExactly(new FetchAttribute.BodySection(section, true, null));
    }

    @Provide
    Arbitrary<Section> sections() {
        Arbitrary<List<Integer>> part = Arbitraries.integers().between(1, 99).list().ofMaxSize(4);
        Arbitrary<Section.Text> text = Arbitraries.of(Section.Text.class);
        Arbitrary<List<String>> fields = Arbitraries.strings().withCharRange('A', 'Z').withChars('-').ofMinLength(1).ofMaxLength(12)
                .list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(part, text, fields).as((p, t, f) -> {
            boolean hasFields = t == Section.Text.HEADER_FIELDS || t == Section.Text.HEADER_FIELDS_NOT;
            Section.Text usable = t == Section.Text.MIME && p.isEmpty() ? Section.Text.HEADER : t;
            return new Section(p, usable, hasFields ? f : List.of());
        });
    }

    @Property
    void mailboxNamesRoundTripThroughModifiedUtf7(@ForAll("names") String name) throws Exception {
        String wire = MailboxNames.encode(name, false).replace("\\", "\\\\").replace("\"", "\\\"");
        Command.OnMailbox parsed = (Command.OnMailbox) Wire.parse("a CREATE \"" + wire + "\"\r\n");
        assertThat(parsed.mailbox()).isEqualTo(name.equalsIgnoreCase("INBOX") ? "INBOX" : name);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u2fff').ofMinLength(1).ofMaxLength(30);
    }
}

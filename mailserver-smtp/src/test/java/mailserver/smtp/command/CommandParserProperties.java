package mailserver.smtp.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import mailserver.core.mail.MailAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CommandParserProperties {

    private final CommandParser parser = new CommandParser("mx.example.org");

    @Property(tries = 3000)
    void anyLineIsACommandOrARefusal(@ForAll("lines") String line) {
        try {
            Command command = parser.parse(line);
            assertThat(command).isNotNull();
        } catch (InvalidCommandException e) {
            assertThat(e.reply().code()).isBetween(500, 555);
        }
    }

    @Property(tries = 2000)
    void parseOfFormatGivesTheCommandBack(@ForAll("commands") Command command) throws InvalidCommandException {
        assertThat(parser.parse(command.format())).isEqualTo(command);
    }

    @Property
    void xtextRoundTrips(@ForAll String text) {
        assertThat(Xtext.decode(Xtext.encode(text))).isEqualTo(text);
    }

    /** Random junk, and junk that starts like a real command so the deeper paths run too. */
    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> prefix = Arbitraries.of("", "MAIL FROM:<", "RCPT TO:<", "mail from: <a@b.c> ", "RCPT TO:<a@b.c> ",
                "BDAT ", "AUTH ", "EHLO ", "DATA", "NOOP ", "RCPT TO:<@x:", "MAIL FROM:<\"");
        Arbitrary<String> body = Arbitraries.strings().withChars("<>@\":;,.=+ [] \\xX0aZ\u00e9").ofMaxLength(60)
                .injectDuplicates(0.1);
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(600);
        return Arbitraries.oneOf(Combinators.combine(prefix, body).as(String::concat), anything);
    }

    @Provide
    Arbitrary<Command> commands() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(30);
        Arbitrary<String> text = word.list().ofMinSize(1).ofMaxSize(4).map(w -> String.join(" ", w));
        return Arbitraries.oneOf(
                word.map(Command.Ehlo::new),
                word.map(Command.Helo::new),
                Combinators.combine(addresses().optional(), mailParameters()).as(Command.Mail::new),
                Combinators.combine(addresses(), rcptParameters()).as(Command.Rcpt::new),
                Arbitraries.just(new Command.Data()),
                Combinators.combine(Arbitraries.longs().greaterOrEqual(0), Arbitraries.of(true, false)).as(Command.Bdat::new),
                Arbitraries.just(new Command.Rset()),
                Arbitraries.oneOf(Arbitraries.just(""), text).map(Command.Noop::new),
                Arbitraries.just(new Command.Quit()),
                text.map(Command.Vrfy::new),
                text.map(Command.Expn::new),
                Arbitraries.oneOf(Arbitraries.just(""), text).map(Command.Help::new),
                Arbitraries.just(new Command.StartTls()),
                Combinators.combine(Arbitraries.of("PLAIN", "LOGIN", "SCRAM-SHA-256", "X_1"),
                        Arbitraries.of("=", "AGFsaWNlAHNlY3JldA==", "YQ", "dXNlcg==").optional())
                        .as(Command.Auth::new));
    }

    private Arbitrary<MailAddress> addresses() {
        Arbitrary<String> dotAtom = Arbitraries.strings().withChars("abcXYZ019!#$%&'*+-/=?^_`{|}~ü").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> quoted = Arbitraries.strings().withChars("ab .,@<>\"\\:").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> label = Arbitraries.strings().withChars("abcz09").ofMinLength(1).ofMaxLength(10);
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> literal = Arbitraries.of("[192.0.2.1]", "[IPv6:2001:db8::1]");
        return Combinators.combine(Arbitraries.oneOf(dotAtom, quoted), Arbitraries.oneOf(domain, domain, literal))
                .as((local, dom) -> MailAddress.parse(quote(local) + "@" + dom));
    }

    private static String quote(String local) {
        if (!local.startsWith(".") && !local.endsWith(".") && !local.contains("..") && local.matches("[^ ,@<>\"\\\\:]+")) {
            return local;
        }
        return "\"" + local.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private Arbitrary<MailParameters> mailParameters() {
        Arbitrary<String> xtextValue = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(30);
        return Combinators.combine(
                Arbitraries.longs().greaterOrEqual(0).optional().map(o -> o.map(OptionalLong::of).orElse(OptionalLong.empty())),
                Arbitraries.of(BodyType.class).optional(),
                Arbitraries.of(true, false),
                Arbitraries.oneOf(xtextValue, Arbitraries.just("<>")).optional(),
                Arbitraries.of(DsnReturn.class).optional(),
                xtextValue.optional())
                .as(MailParameters::new);
    }

    private Arbitrary<RcptParameters> rcptParameters() {
        Arbitrary<List<DsnNotify>> notify = Arbitraries.oneOf(
                Arbitraries.just(List.of()),
                Arbitraries.just(List.of(DsnNotify.NEVER)),
                Arbitraries.of(DsnNotify.SUCCESS, DsnNotify.FAILURE, DsnNotify.DELAY).list().ofMinSize(1).ofMaxSize(3));
        Arbitrary<Optional<OriginalRecipient>> orcpt = Combinators.combine(
                Arbitraries.of("rfc822", "utf-8", "X-Type"),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(40))
                .as(OriginalRecipient::new).optional();
        return Combinators.combine(notify, orcpt).as((n, o) ->
                new RcptParameters(n.isEmpty() ? EnumSet.noneOf(DsnNotify.class) : EnumSet.copyOf(n), o));
    }
}

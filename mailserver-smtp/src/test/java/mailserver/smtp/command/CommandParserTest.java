package mailserver.smtp.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import mailserver.core.mail.MailAddress;

class CommandParserTest {

    private final CommandParser parser = new CommandParser("mx.example.org");

    private Command parse(String line) throws InvalidCommandException {
        return parser.parse(line);
    }

    /** The reply as "code enhanced" for the line, which must be refused. */
    private String refusal(String line) {
        InvalidCommandException e = catchThrowableOfType(() -> parser.parse(line), InvalidCommandException.class);
        assertThat(e).as("refused: %s", line).isNotNull();
        return e.reply().code() + " " + e.reply().enhanced();
    }

    @Test
    void verbsAreCaseInsensitive() throws Exception {
        assertThat(parse("ehlo client.example")).isEqualTo(new Command.Ehlo("client.example"));
        assertThat(parse("Helo client.example")).isEqualTo(new Command.Helo("client.example"));
        assertThat(parse("qUiT")).isEqualTo(new Command.Quit());
        assertThat(parse("StartTLS")).isEqualTo(new Command.StartTls());
    }

    @Test
    void mailWithEveryParameter() throws Exception {
        Command.Mail mail = (Command.Mail) parse(
                "MAIL FROM:<alice@example.org> size=1000 BODY=8bitmime SMTPUTF8 AUTH=alice+2Bx@example.org RET=HDRS ENVID=QQ+3D1");
        assertThat(mail.reversePath()).contains(MailAddress.parse("alice@example.org"));
        assertThat(mail.parameters()).isEqualTo(new MailParameters(OptionalLong.of(1000), Optional.of(BodyType.EIGHT_BIT_MIME),
                true, Optional.of("alice+x@example.org"), Optional.of(DsnReturn.HDRS), Optional.of("QQ=1")));
    }

    @Test
    void nullReversePath() throws Exception {
        assertThat(parse("MAIL FROM:<>")).isEqualTo(new Command.Mail(Optional.empty(), MailParameters.NONE));
    }

    @Test
    void toleratesASpaceAfterTheColonAndDropsSourceRoutes() throws Exception {
        assertThat(parse("MAIL FROM: <a@b.example>")).isEqualTo(parse("MAIL FROM:<a@b.example>"));
        assertThat(parse("RCPT TO:<@relay.example,@[192.0.2.1]:bob@example.org>"))
                .isEqualTo(new Command.Rcpt(MailAddress.parse("bob@example.org"), RcptParameters.NONE));
    }

    @Test
    void quotedLocalPartMayHoldAnAngleBracket() throws Exception {
        Command.Rcpt rcpt = (Command.Rcpt) parse("RCPT TO:<\"odd>name\"@example.org>");
        assertThat(rcpt.forwardPath().localPart()).isEqualTo("odd>name");
    }

    @Test
    void barePostmasterGoesToThisServer() throws Exception {
        assertThat(parse("RCPT TO:<Postmaster>"))
                .isEqualTo(new Command.Rcpt(new MailAddress("postmaster", "mx.example.org"), RcptParameters.NONE));
    }

    @Test
    void rcptDsnParameters() throws Exception {
        Command.Rcpt rcpt = (Command.Rcpt) parse("RCPT TO:<bob@example.org> NOTIFY=success,Failure ORCPT=rfc822;Bob+2Bdsn@example.org");
        assertThat(rcpt.parameters()).isEqualTo(new RcptParameters(EnumSet.of(DsnNotify.SUCCESS, DsnNotify.FAILURE),
                Optional.of(new OriginalRecipient("rfc822", "Bob+dsn@example.org"))));
    }

    @Test
    void utf8Addresses() throws Exception {
        Command.Rcpt rcpt = (Command.Rcpt) parse("RCPT TO:<jürgen@bücher.example>");
        assertThat(rcpt.forwardPath()).isEqualTo(new MailAddress("jürgen", "xn--bcher-kva.example"));
    }

    @Test
    void bdatAndAuth() throws Exception {
        assertThat(parse("BDAT 1024")).isEqualTo(new Command.Bdat(1024, false));
        assertThat(parse("bdat 0 last")).isEqualTo(new Command.Bdat(0, true));
        assertThat(parse("AUTH plain AGFsaWNlAHNlY3JldA==")).isEqualTo(new Command.Auth("PLAIN", Optional.of("AGFsaWNlAHNlY3JldA==")));
        assertThat(parse("AUTH LOGIN")).isEqualTo(new Command.Auth("LOGIN", Optional.empty()));
        assertThat(parse("AUTH PLAIN =")).isEqualTo(new Command.Auth("PLAIN", Optional.of("=")));
    }

    @Test
    void optionalArguments() throws Exception {
        assertThat(parse("NOOP")).isEqualTo(new Command.Noop(""));
        assertThat(parse("NOOP  hello there  ")).isEqualTo(new Command.Noop("hello there"));
        assertThat(parse("HELP MAIL")).isEqualTo(new Command.Help("MAIL"));
        assertThat(parse("VRFY bob")).isEqualTo(new Command.Vrfy("bob"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "FOO bar                                  | 500 5.5.1",
            "''                                       | 500 5.5.2",
            "MAIL FROM:<a@b.example>\u0000x           | 500 5.5.2",
            "NOOP a\rb                                | 500 5.5.2",
            "MAIL TO:<a@b.example>                    | 501 5.5.4",
            "MAIL FROM:a@b.example                    | 501 5.5.4",
            "MAIL FROM:<a@b.example                   | 501 5.5.4",
            "MAIL FROM:<a@b.example>SIZE=1            | 501 5.5.4",
            "MAIL FROM:<no-at-sign>                   | 501 5.1.7",
            "MAIL FROM:<a@-bad-.example>              | 501 5.1.7",
            "RCPT TO:<a..b@example.org>               | 501 5.1.3",
            "RCPT TO:<>                               | 501 5.1.3",
            "RCPT TO:<@relay.example>                 | 501 5.5.4",
            "MAIL FROM:<a@b.example> SIZE=abc         | 501 5.5.4",
            "MAIL FROM:<a@b.example> SIZE=1 SIZE=2    | 501 5.5.4",
            "MAIL FROM:<a@b.example> BODY=9BIT        | 501 5.5.4",
            "MAIL FROM:<a@b.example> SMTPUTF8=yes     | 501 5.5.4",
            "MAIL FROM:<a@b.example> RET=ALL          | 501 5.5.4",
            "MAIL FROM:<a@b.example> ENVID=a+zz       | 501 5.5.4",
            "MAIL FROM:<a@b.example> XFOO=1           | 555 5.5.4",
            "MAIL FROM:<a@b.example> =1               | 501 5.5.4",
            "RCPT TO:<a@b.example> NOTIFY=NEVER,DELAY | 501 5.5.4",
            "RCPT TO:<a@b.example> NOTIFY=SOMETIMES   | 501 5.5.4",
            "RCPT TO:<a@b.example> ORCPT=nosemicolon  | 501 5.5.4",
            "RCPT TO:<a@b.example> SIZE=10            | 555 5.5.4",
            "EHLO                                     | 501 5.5.4",
            "HELO a b                                 | 501 5.5.4",
            "DATA now                                 | 501 5.5.4",
            "QUIT please                              | 501 5.5.4",
            "VRFY                                     | 501 5.5.4",
            "BDAT                                     | 501 5.5.4",
            "BDAT -1                                  | 501 5.5.4",
            "BDAT 10 FIRST                            | 501 5.5.4",
            "AUTH                                     | 501 5.5.4",
            "AUTH PL@IN                               | 501 5.5.4",
            "AUTH PLAIN not*base64                    | 501 5.5.2",
    })
    void malformedLinesGetTheRightReply(String line, String expected) {
        assertThat(refusal(line)).isEqualTo(expected);
    }

    @Test
    void lineLengthLimits() throws Exception {
        assertThat(refusal("NOOP " + "x".repeat(506))).isEqualTo("500 5.5.2");
        assertThat(parse("NOOP " + "x".repeat(505))).isInstanceOf(Command.Noop.class);
        // MAIL gets the allowance its parameters need
        assertThat(parse("MAIL FROM:<a@b.example> AUTH=" + "x".repeat(500) + " ENVID=" + "y".repeat(100)))
                .isInstanceOf(Command.Mail.class);
        assertThat(refusal("AUTH PLAIN " + "A".repeat(12288))).isEqualTo("500 5.5.2");
        assertThat(refusal("MAIL FROM:<" + "a".repeat(65) + "@b.example>")).isEqualTo("501 5.1.7");
    }

    @Test
    void bdatSizeBeyondALongIsClampedNotAnError() throws Exception {
        assertThat(parse("BDAT 99999999999999999999")).isEqualTo(new Command.Bdat(Long.MAX_VALUE, false));
    }
}

package mailserver.pop3.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void splitsKeywordAndArguments() throws Exception {
        assertThat(CommandParser.parse("top 1 10")).isEqualTo(new Command("TOP", List.of("1", "10")));
        assertThat(CommandParser.parse("STAT")).isEqualTo(new Command("STAT", List.of()));
        assertThat(CommandParser.parse("CAPA ")).isEqualTo(new Command("CAPA", List.of()));
    }

    @Test
    void userAndPassTakeTheRestOfTheLine() throws Exception {
        assertThat(CommandParser.parse("PASS two words  ")).isEqualTo(new Command("PASS", List.of("two words  ")));
        assertThat(CommandParser.parse("user alice@example.test")).isEqualTo(new Command("USER", List.of("alice@example.test")));
    }

    @Test
    void refusesWhatIsNotACommand() {
        assertThatThrownBy(() -> CommandParser.parse("")).hasMessage("Empty command");
        assertThatThrownBy(() -> CommandParser.parse("HELLO")).hasMessage("Unknown command");
        assertThatThrownBy(() -> CommandParser.parse("NO")).hasMessage("Unknown command");
        assertThatThrownBy(() -> CommandParser.parse("ST1T")).hasMessage("Unknown command");
        assertThatThrownBy(() -> CommandParser.parse("TOP 1  2")).hasMessage("Invalid spacing between arguments");
        assertThatThrownBy(() -> CommandParser.parse("TOP 1 2 3")).hasMessage("Too many arguments");
    }

    @Test
    void neverShowsArgumentsInToString() throws Exception {
        assertThat(CommandParser.parse("PASS secret").toString()).isEqualTo("PASS ...");
    }

    @Test
    void numbers() throws Exception {
        assertThat(Numbers.messageNumber("007")).isEqualTo(7);
        assertThat(Numbers.messageNumber("99999999999999999999")).isEqualTo(Integer.MAX_VALUE);
        assertThat(Numbers.lineCount("0")).isZero();
        assertThat(Numbers.lineCount("99999999999999999999")).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> Numbers.messageNumber("0")).hasMessage("Invalid message number: 0");
        assertThatThrownBy(() -> Numbers.messageNumber("+1")).hasMessage("Invalid message number: +1");
        assertThatThrownBy(() -> Numbers.lineCount("1\u0000" + "x".repeat(40))).hasMessage("Invalid number of lines: 1?xxxxxxxxxxxxxxxxxx...");
    }
}

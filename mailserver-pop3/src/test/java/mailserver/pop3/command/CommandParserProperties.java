package mailserver.pop3.command;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class CommandParserProperties {

    /** Any line is a command or an InvalidCommandException with a message, never anything else. */
    @Property
    void anyLineParsesOrIsRefusedCleanly(@ForAll String line) {
        try {
            Command command = CommandParser.parse(line);
            assertThat(command.keyword()).matches("[A-Z]{3,4}");
            assertThat(command.arguments().size()).isLessThanOrEqualTo(CommandParser.MAX_ARGUMENTS);
        } catch (InvalidCommandException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property
    void numbersParseOrAreRefusedCleanly(@ForAll String argument) {
        try {
            assertThat(Numbers.messageNumber(argument)).isPositive();
        } catch (InvalidCommandException e) {
            assertThat(e.getMessage()).startsWith("Invalid message number: ").doesNotContain("\r", "\n");
        }
    }
}

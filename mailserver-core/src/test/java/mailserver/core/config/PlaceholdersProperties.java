package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PlaceholdersProperties {

    private final Placeholders environment = new Placeholders(Map.of("HOST", "mx.test", "EMPTY", "")::get);

    @Property
    void textWithoutPlaceholdersIsUnchanged(@ForAll String text) throws InvalidValueException {
        String plain = text.replace("${", "");
        assertThat(environment.resolve(plain)).isEqualTo(plain);
    }

    @Property
    void aSetVariableIsReplacedWhateverSurroundsIt(@ForAll("plain") String before, @ForAll("plain") String after)
            throws InvalidValueException {
        assertThat(environment.resolve(before + "${HOST}" + after)).isEqualTo(before + "mx.test" + after);
    }

    @Property
    void aDefaultIsUsedWhenTheVariableIsUnsetOrEmpty(@ForAll("plain") String fallback) throws InvalidValueException {
        assertThat(environment.resolve("${UNSET:-" + fallback + "}")).isEqualTo(fallback);
        assertThat(environment.resolve("${EMPTY:-" + fallback + "}")).isEqualTo(fallback);
        assertThat(environment.resolve("${HOST:-" + fallback + "}")).isEqualTo("mx.test");
    }

    @Property
    void anyInputEitherResolvesOrExplainsWhy(@ForAll("withPlaceholders") String text) {
        try {
            assertThat(environment.resolve(text)).doesNotContain("${HOST}");
        } catch (InvalidValueException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Example
    void escapesAndMistakes() throws InvalidValueException {
        assertThat(environment.resolve("$${HOST}")).isEqualTo("${HOST}");
        assertThat(environment.resolve("pa$$word $HOST")).isEqualTo("pa$$word $HOST");
        assertThat(environment.resolve("${EMPTY}")).isEmpty();
        assertThatThrownBy(() -> environment.resolve("${UNSET}"))
                .hasMessage("environment variable UNSET is not set (write ${UNSET:-default} to fall back to a default)");
        assertThatThrownBy(() -> environment.resolve("a ${HOST")).hasMessageContaining("is not closed");
        assertThatThrownBy(() -> environment.resolve("${}")).hasMessageContaining("does not name an environment variable");
        assertThatThrownBy(() -> environment.resolve("${A-B}")).hasMessageContaining("does not name an environment variable");
    }

    @Example
    void theResultHasALengthLimit() {
        Placeholders huge = new Placeholders(name -> "x".repeat(Placeholders.MAX_RESULT_LENGTH));
        assertThatThrownBy(() -> huge.resolve("${A}${A}")).hasMessageContaining("longer than");
    }

    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings().ofMaxLength(20).filter(s -> !s.contains("$") && !s.contains("}"));
    }

    @Provide
    Arbitrary<String> withPlaceholders() {
        return Arbitraries.strings().withChars("${}:-_AHOSTEMPY a").ofMaxLength(30);
    }
}

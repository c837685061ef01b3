package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class DurationsProperties {

    private static final Map<String, ChronoUnit> UNITS = Map.of(
            "ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES,
            "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);

    @Property
    void aNumberAndAUnitIsThatMany(@ForAll @LongRange(max = 999_999_999_999L) long amount,
                                   @ForAll("units") String unit) throws InvalidValueException {
        assertThat(Durations.parse(amount + unit)).isEqualTo(Duration.of(amount, UNITS.get(unit)));
    }

    @Property
    void anythingElseIsRefusedWithTheExpectedForm(@ForAll String text) {
        boolean wellFormed = text.strip().matches("0|[0-9]{1,12}(ms|s|m|h|d)");
        try {
            Durations.parse(text);
            assertThat(wellFormed).as(text).isTrue();
        } catch (InvalidValueException e) {
            assertThat(wellFormed).as(text).isFalse();
            assertThat(e.getMessage()).startsWith("must be " + Durations.EXPECTED);
        }
    }

    @Property
    void tooManyDigitsAreRefusedRatherThanOverflowing(@ForAll @LongRange(min = 1_000_000_000_000L) long amount,
                                                     @ForAll("units") String unit) {
        assertThatThrownBy(() -> Durations.parse(amount + unit)).isInstanceOf(InvalidValueException.class);
    }

    @Example
    void examplesFromTheDocumentation() throws InvalidValueException {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("0")).isZero();
        assertThatThrownBy(() -> Durations.parse("30 parsecs")).hasMessageContaining("'30 parsecs'");
        assertThatThrownBy(() -> Durations.parse("-5s")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Durations.parse("5M")).as("M would be ambiguous: minutes or months")
                .isInstanceOf(InvalidValueException.class);
    }

    @Provide
    Arbitrary<String> units() {
        return Arbitraries.of(UNITS.keySet());
    }
}

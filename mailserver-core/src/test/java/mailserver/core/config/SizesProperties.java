package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class SizesProperties {

    @Property
    void plainNumbersAreBytes(@ForAll @LongRange(max = 999_999_999_999_999L) long bytes) throws InvalidValueException {
        assertThat(Sizes.parse(Long.toString(bytes))).isEqualTo(bytes);
    }

    /** Compared with exact arithmetic: a result is either right or refused, never wrapped around. */
    @Property
    void aUnitMultipliesByAPowerOf1024OrIsRefused(@ForAll @LongRange(max = 999_999_999_999_999L) long amount,
                                                @ForAll("units") String unit) {
        int power = "kmgt".indexOf(Character.toLowerCase(unit.charAt(0))) + 1;
        BigInteger exact = BigInteger.valueOf(amount).shiftLeft(10 * power);
        if (exact.bitLength() < 64) {
            assertThat(parse(amount + unit)).isEqualTo(exact.longValueExact());
        } else {
            assertThatThrownBy(() -> Sizes.parse(amount + unit)).hasMessageContaining("too large");
        }
    }

    @Property
    void anythingElseIsRefusedWithTheExpectedForm(@ForAll String text) {
        boolean wellFormed = text.strip().matches("[0-9]{1,15}[KkMmGgTt]?");
        try {
            Sizes.parse(text);
            assertThat(wellFormed).as(text).isTrue();
        } catch (InvalidValueException e) {
            assertThat(e.getMessage()).as(text).containsAnyOf("must be " + Sizes.EXPECTED, "too large");
            assertThat(wellFormed && !e.getMessage().contains("too large")).isFalse();
        }
    }

    @Property
    void formatParsesBackToTheSameSize(@ForAll @LongRange(max = 999_999_999_999_999L) long bytes) throws InvalidValueException {
        assertThat(Sizes.parse(Sizes.format(bytes))).isEqualTo(bytes);
    }

    @Example
    void formatUsesTheLargestExactUnit() {
        assertThat(Sizes.format(1L << 30)).isEqualTo("1G");
        assertThat(Sizes.format(1536L * 1024)).isEqualTo("1536K");
        assertThat(Sizes.format(1000)).isEqualTo("1000");
        assertThat(Sizes.format(0)).isEqualTo("0");
    }

    @Example
    void examplesFromTheDocumentation() throws InvalidValueException {
        assertThat(Sizes.parse("512K")).isEqualTo(512L * 1024);
        assertThat(Sizes.parse("10M")).isEqualTo(10L * 1024 * 1024);
        assertThat(Sizes.parse("1G")).isEqualTo(1L << 30);
        assertThat(Sizes.parse("1048576")).isEqualTo(1_048_576L);
        assertThatThrownBy(() -> Sizes.parse("10 MB")).hasMessageContaining("'10 MB'");
        assertThatThrownBy(() -> Sizes.parse("1.5G")).isInstanceOf(InvalidValueException.class);
    }

    private static long parse(String text) {
        try {
            return Sizes.parse(text);
        } catch (InvalidValueException e) {
            throw new AssertionError(text + ": " + e.getMessage(), e);
        }
    }

    @Provide
    Arbitrary<String> units() {
        return Arbitraries.of("K", "k", "M", "m", "G", "g", "T", "t");
    }
}

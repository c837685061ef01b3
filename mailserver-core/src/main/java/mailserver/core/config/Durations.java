package mailserver.core.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as admins write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d},
 * or {@code 0}. One number and one lower-case unit; at most 12 digits, so the result always
 * fits a {@link Duration}.
 */
final class Durations {

    static final String EXPECTED = "a duration like 30s, 5m, 1h, 2d or 500ms";

    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    static Duration parse(String text) throws InvalidValueException {
        String trimmed = text.strip();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORMAT.matcher(trimmed);
        if (!m.matches()) {
            throw new InvalidValueException("must be " + EXPECTED + ", not " + InvalidValueException.shown(text));
        }
        return Duration.of(Long.parseLong(m.group(1)), unit(m.group(2)));
    }

    private static ChronoUnit unit(String symbol) {
        switch (symbol) {
            case "ms":
                return ChronoUnit.MILLIS;
            case "s":
                return ChronoUnit.SECONDS;
            case "m":
                return ChronoUnit.MINUTES;
            case "h":
                return ChronoUnit.HOURS;
            default:
                return ChronoUnit.DAYS;
        }
    }
}

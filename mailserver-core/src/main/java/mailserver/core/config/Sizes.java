package mailserver.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as admins write them: {@code 512K}, {@code 10M}, {@code 1G}, {@code 2T} (powers of
 * 1024, as Dovecot and Postfix count) or plain bytes like {@code 1048576}. The unit letter may be
 * lower case. At most 15 digits; a result beyond {@code Long.MAX_VALUE} is refused, not wrapped.
 */
public final class Sizes {

    static final String EXPECTED = "a size like 512K, 10M, 1G or a number of bytes";

    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,15})([KkMmGgTt]?)");

    private Sizes() {
    }

    public static long parse(String text) throws InvalidValueException {
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            throw new InvalidValueException("must be " + EXPECTED + ", not " + InvalidValueException.shown(text));
        }
        long number = Long.parseLong(m.group(1));
        try {
            return Math.multiplyExact(number, multiplier(m.group(2)));
        } catch (ArithmeticException e) {
            throw new InvalidValueException(InvalidValueException.shown(text) + " is too large");
        }
    }

    /** The shortest exact form: {@code 1G} for 1073741824, {@code 1536K}, or plain bytes. */
    public static String format(long bytes) {
        String[] units = {"T", "G", "M", "K"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }

    private static long multiplier(String unit) {
        switch (unit.toUpperCase(Locale.ROOT)) {
            case "K":
                return 1L << 10;
            case "M":
                return 1L << 20;
            case "G":
                return 1L << 30;
            case "T":
                return 1L << 40;
            default:
                return 1;
        }
    }
}

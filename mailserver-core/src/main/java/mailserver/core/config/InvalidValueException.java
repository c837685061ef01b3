package mailserver.core.config;

/**
 * A value that cannot be used; the message says what is allowed ("must be a whole number from
 * 1 to 65535") and becomes the text of a {@link ConfigProblem} placed at the value's key.
 */
public final class InvalidValueException extends Exception {

    InvalidValueException(String message) {
        super(message);
    }

    /** The offending text for a message, cut short and with control characters made visible. */
    static String shown(String value) {
        String cut = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        StringBuilder out = new StringBuilder("'");
        cut.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('\'').toString();
    }
}

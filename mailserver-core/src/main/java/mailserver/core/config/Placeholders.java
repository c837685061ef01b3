package mailserver.core.config;

import java.util.function.Function;

/**
 * {@code ${NAME}} and {@code ${NAME:-default}} in scalar values, replaced from the environment
 * (so secrets and per-host values can stay out of the file). Like the shell, {@code :-} also
 * applies when the variable is set but empty. {@code $${} writes a literal {@code ${}; a
 * {@code $} anywhere else is kept as it is. Replaced text is not scanned again.
 */
final class Placeholders {

    /** Longer than any sane value; stops a huge environment variable from ballooning the config. */
    static final int MAX_RESULT_LENGTH = 65_536;

    private final Function<String, String> environment;

    /** @param environment variable name to value, {@code null} when unset */
    Placeholders(Function<String, String> environment) {
        this.environment = environment;
    }

    String resolve(String text) throws InvalidValueException {
        if (!text.contains("${")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            if (start > i && text.charAt(start - 1) == '$') {
                out.append(text, i, start - 1).append("${");
                i = start + 2;
                continue;
            }
            int end = text.indexOf('}', start + 2);
            if (end < 0) {
                throw new InvalidValueException("'${' at character " + (start + 1) + " is not closed with '}'");
            }
            out.append(text, i, start).append(substitute(text.substring(start + 2, end)));
            if (out.length() > MAX_RESULT_LENGTH) {
                throw new InvalidValueException("longer than " + MAX_RESULT_LENGTH + " characters after ${...} substitution");
            }
            i = end + 1;
        }
        return out.toString();
    }

    private String substitute(String inside) throws InvalidValueException {
        int separator = inside.indexOf(":-");
        String name = separator < 0 ? inside : inside.substring(0, separator);
        if (!isName(name)) {
            throw new InvalidValueException(InvalidValueException.shown("${" + inside + "}")
                    + " does not name an environment variable; names are letters, digits and _, e.g. ${DB_PASSWORD}");
        }
        String value = environment.apply(name);
        if (separator >= 0) {
            return value == null || value.isEmpty() ? inside.substring(separator + 2) : value;
        }
        if (value == null) {
            throw new InvalidValueException("environment variable " + name + " is not set"
                    + " (write ${" + name + ":-default} to fall back to a default)");
        }
        return value;
    }

    private static boolean isName(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> c == '_' || c < 128 && Character.isLetterOrDigit(c));
    }
}

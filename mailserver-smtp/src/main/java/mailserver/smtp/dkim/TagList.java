package mailserver.smtp.dkim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tag=value; ...} syntax of DKIM-Signature fields and key records (RFC 6376 3.2).
 * Values keep inner folding whitespace; leading and trailing whitespace is dropped.
 */
final class TagList {

    private TagList() {
    }

    /**
     * The tags in order. A duplicate tag, a tag without {@code =} or a malformed tag name makes
     * the whole list invalid (RFC 6376 3.2).
     */
    static Map<String, String> parse(String text) throws VerifyFailure {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] specs = text.split(";", -1);
        for (int i = 0; i < specs.length; i++) {
            String spec = specs[i];
            if (isWhitespace(spec)) {
                if (i == specs.length - 1) {
                    break; // a trailing ";" is allowed
                }
                throw VerifyFailure.permerror("empty tag in tag list");
            }
            int equals = spec.indexOf('=');
            if (equals < 0) {
                throw VerifyFailure.permerror("tag without '=' in tag list");
            }
            String name = trim(spec.substring(0, equals));
            if (!isTagName(name)) {
                throw VerifyFailure.permerror("malformed tag name in tag list");
            }
            if (tags.putIfAbsent(name, trim(spec.substring(equals + 1))) != null) {
                throw VerifyFailure.permerror("duplicate tag " + name + "=");
            }
        }
        return tags;
    }

    /** The value with every space, tab, CR and LF removed, as base64 values are compared. */
    static String withoutWhitespace(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isFws(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String trim(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isFws(value.charAt(start))) {
            start++;
        }
        while (end > start && isFws(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isWhitespace(String value) {
        return trim(value).isEmpty();
    }

    private static boolean isTagName(String name) {
        if (name.isEmpty() || !isAlpha(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}

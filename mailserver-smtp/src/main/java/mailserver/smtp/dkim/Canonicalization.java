package mailserver.smtp.dkim;

import java.util.Locale;

/** The two canonicalisation algorithms of RFC 6376 3.4. */
enum Canonicalization {
    SIMPLE, RELAXED;

    static Canonicalization of(String name) throws VerifyFailure {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> throw VerifyFailure.permerror("unknown canonicalization " + name);
        };
    }

    /**
     * One header field as it enters the hash, without the trailing CRLF (the caller adds it for
     * every field but the DKIM-Signature itself).
     *
     * @param field the field as received, folding included, without its final CRLF; one char per byte
     */
    String header(String field) {
        if (this == SIMPLE) {
            return field;
        }
        int colon = field.indexOf(':');
        String name = colon < 0 ? field : field.substring(0, colon);
        String value = colon < 0 ? "" : field.substring(colon + 1);
        StringBuilder out = new StringBuilder(field.length());
        out.append(stripWsp(name).toLowerCase(Locale.ROOT)).append(':');
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' && i + 1 < value.length() && value.charAt(i + 1) == '\n') {
                i++; // unfold: the CRLF goes, the whitespace after it is handled below
            } else if (c == ' ' || c == '\t') {
                pendingSpace = started;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
                started = true;
            }
        }
        return out.toString();
    }

    private static String stripWsp(String name) {
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == ' ' || name.charAt(end - 1) == '\t')) {
            end--;
        }
        int start = 0;
        while (start < end && (name.charAt(start) == ' ' || name.charAt(start) == '\t')) {
            start++;
        }
        return name.substring(start, end);
    }
}

package mailserver.smtp.command;

import java.util.Locale;

/**
 * RFC 3461 4 xtext, the encoding of ENVID, ORCPT and AUTH= values: {@code +XX} for every octet
 * outside {@code !..~} and for {@code +} and {@code =}. Non-ASCII characters are left as they are,
 * as RFC 6533 allows once SMTPUTF8 is in use.
 */
public final class Xtext {

    private Xtext() {
    }

    public static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || (c > ' ' && c < 0x7f && c != '+' && c != '=')) {
                out.append(c);
            } else {
                out.append('+').append(String.format(Locale.ROOT, "%02X", (int) c));
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static String decode(String xtext) {
        StringBuilder out = new StringBuilder(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 2 >= xtext.length()) {
                    throw new IllegalArgumentException("truncated +XX escape");
                }
                int value = hex(xtext.charAt(i + 1)) << 4 | hex(xtext.charAt(i + 2));
                if (value >= 0x80) {
                    throw new IllegalArgumentException("+XX escape of a non-ASCII octet");
                }
                out.append((char) value);
                i += 2;
            } else if (c == '=' || c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("character that must be +XX encoded");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        // Character.digit would also take non-ASCII digits such as U+0663.
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if ((c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')) {
            return Character.toUpperCase(c) - 'A' + 10;
        }
        throw new IllegalArgumentException("bad hex digit in +XX escape");
    }
}

package mailserver.smtp.spf;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.core.MacroData;
import org.apache.james.jspf.core.MacroExpand;
import org.apache.james.jspf.core.exceptions.PermErrorException;

/**
 * jSPF's macro expansion with uppercase macro-letters URL-encoded as RFC 7208 7.3 says: by
 * RFC 3986, where "~" stays and "*" is encoded. jSPF uses java.net.URLEncoder, made for
 * HTML forms, which does the opposite on both. In an explanation each uppercase macro is
 * expanded here in lower case, encoded, and handed to jSPF as literal text ("%" written "%%").
 * A domain-spec keeps jSPF's encoding: there the literal would break the rule that it ends
 * in a macro or a top label. The two encodings differ only on "~" and "*", rare in a local-part.
 */
final class Rfc7208MacroExpand extends MacroExpand {

    /** "%%" is matched too, so an escaped percent is never taken for the start of a macro. */
    private static final Pattern MACRO = Pattern.compile("%%|%\\{([A-Za-z])([^}]*)\\}");

    Rfc7208MacroExpand(DNSService dns) {
        super(dns);
    }

    @Override
    public String expand(String input, MacroData macroData, boolean isExplanation) throws PermErrorException {
        if (input == null || !isExplanation) {
            return super.expand(input, macroData, isExplanation);
        }
        Matcher macro = MACRO.matcher(input);
        StringBuilder rewritten = new StringBuilder();
        while (macro.find()) {
            String letter = macro.group(1);
            if (letter == null || !Character.isUpperCase(letter.charAt(0))) {
                macro.appendReplacement(rewritten, Matcher.quoteReplacement(macro.group()));
                continue;
            }
            String value = super.expand("%{" + letter.toLowerCase(Locale.ROOT) + macro.group(2) + "}", macroData, EXPLANATION);
            if (value == null) {
                // %{P} needs the client's validated name first: jSPF looks it up and asks again.
                return null;
            }
            macro.appendReplacement(rewritten, Matcher.quoteReplacement(encode(value).replace("%", "%%")));
        }
        macro.appendTail(rewritten);
        return super.expand(rewritten.toString(), macroData, isExplanation);
    }

    /** RFC 3986 2.3/2.1: unreserved characters stay, every other UTF-8 byte becomes %XX. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}

package mailserver.core.mail;

/**
 * A mail address or domain that does not follow RFC 5321/6531. The message names what is
 * wrong ("missing @", "domain label too long", ...) so it can go straight into an SMTP reply
 * or an admin's terminal.
 */
public final class InvalidAddressException extends IllegalArgumentException {

    InvalidAddressException(String input, String problem) {
        super(problem + " in " + quoted(input));
    }

    /** Shows the offending input, cut short so a megabyte of junk never reaches a log line. */
    private static String quoted(String input) {
        String shown = input.length() > 80 ? input.substring(0, 80) + "..." : input;
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('"').toString();
    }
}

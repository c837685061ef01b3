package mailserver.pop3.session;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A POP3 response: {@code +OK} or {@code -ERR} with an optional RFC 2449 response code, a
 * multi-line response (lines dot-stuffed, ended by {@code .}), or a SASL continuation
 * {@code + <base64>} (RFC 5034).
 */
public record Reply(String firstLine, List<String> lines) {

    /** RFC 2449 8 and RFC 3206 response codes. */
    public enum Code {
        AUTH("[AUTH]"), IN_USE("[IN-USE]"), SYS_TEMP("[SYS/TEMP]");

        private final String text;

        Code(String text) {
            this.text = text;
        }
    }

    public Reply {
        lines = lines == null ? null : List.copyOf(lines);
    }

    public static Reply ok(String text) {
        return new Reply(text.isEmpty() ? "+OK" : "+OK " + text, null);
    }

    public static Reply err(String text) {
        return new Reply("-ERR " + text, null);
    }

    public static Reply err(Code code, String text) {
        return new Reply("-ERR " + code.text + " " + text, null);
    }

    /** {@code +OK text}, then {@code lines}, then {@code .}. */
    public static Reply multiLine(String text, List<String> lines) {
        return new Reply(text.isEmpty() ? "+OK" : "+OK " + text, lines);
    }

    public static Reply continuation(String base64) {
        return new Reply("+ " + base64, null);
    }

    public boolean isOk() {
        return firstLine.startsWith("+OK");
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        line(out, firstLine);
        if (lines != null) {
            for (String line : lines) {
                line(out, line.startsWith(".") ? "." + line : line);
            }
            line(out, ".");
        }
        return out.toByteArray();
    }

    private static void line(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }
}

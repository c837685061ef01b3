package mailserver.smtp.outbound;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply from the server we deliver to, taken as it comes: unlike our own
 * {@link mailserver.smtp.reply.Reply} its text may be anything the remote wrote.
 *
 * @param code  the three-digit code
 * @param lines the text of each line, without code and separator
 */
record RemoteReply(int code, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("([245])\\.([0-9]{1,3}\\.[0-9]{1,3})(\\s|$)");

    RemoteReply {
        lines = List.copyOf(lines);
    }

    boolean positive() {
        return code >= 200 && code < 400;
    }

    boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    /** The whole reply on one line, as Postfix logs it: {@code 550 5.1.1 <x@example.org>: User unknown}. */
    String text() {
        return code + " " + String.join(" ", lines);
    }

    /**
     * The RFC 3463 code of the reply, or {@code class.0.0} when it gave none; with {@code forceClass}
     * the class is replaced (a 5xx greeting, for instance, only defers: other servers may take the mail).
     */
    String dsnCode(char forceClass) {
        char replyClass = Integer.toString(code).charAt(0);
        String detail = "0.0";
        Matcher m = ENHANCED.matcher(lines.isEmpty() ? "" : lines.get(0));
        if (m.lookingAt() && m.group(1).charAt(0) == replyClass) {
            detail = m.group(2);
        }
        return (forceClass == 0 ? replyClass : forceClass) + "." + detail;
    }

    String dsnCode() {
        return dsnCode((char) 0);
    }
}

package mailserver.smtp.dkim;

import mailserver.smtp.dkim.DkimResult.Result;

/** Ends the verification of one signature with a result other than PASS. */
final class VerifyFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final Result result;

    /** Reasons quote the message, and end up in a header field and the log: kept short and printable. */
    private static final int MAX_REASON = 200;

    private VerifyFailure(Result result, String reason) {
        super(printable(reason), null, false, false);
        this.result = result;
    }

    /** Folding whitespace becomes one space, anything else outside printable ASCII a '?'. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON));
        for (int i = 0; i < text.length() && out.length() < MAX_REASON; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else {
                out.append(c > ' ' && c < 0x7f ? c : '?');
            }
        }
        return out.toString().strip();
    }

    static VerifyFailure permerror(String reason) {
        return new VerifyFailure(Result.PERMERROR, reason);
    }

    static VerifyFailure fail(String reason) {
        return new VerifyFailure(Result.FAIL, reason);
    }

    static VerifyFailure temperror(String reason) {
        return new VerifyFailure(Result.TEMPERROR, reason);
    }

    static VerifyFailure policy(String reason) {
        return new VerifyFailure(Result.POLICY, reason);
    }

    Result result() {
        return result;
    }

    String reason() {
        return getMessage();
    }
}

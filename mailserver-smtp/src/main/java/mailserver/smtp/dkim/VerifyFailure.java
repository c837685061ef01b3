package mailserver.smtp.dkim;

import mailserver.smtp.dkim.DkimResult.Result;

/** Ends the verification of one signature with a result other than PASS. */
final class VerifyFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final Result result;

    private VerifyFailure(Result result, String reason) {
        super(reason, null, false, false);
        this.result = result;
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

package mailserver.imap.session;

/** How a command ends: the status (OK, NO, BAD), an optional response code, and the text of the tagged response. */
record Done(String status, String code, String text) {

    static Done ok(String text) {
        return new Done("OK", null, text);
    }

    static Done ok(String code, String text) {
        return new Done("OK", code, text);
    }

    static Done no(String code, String text) {
        return new Done("NO", code, text);
    }

    static Done bad(String text) {
        return new Done("BAD", null, text);
    }
}

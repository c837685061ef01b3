package mailserver.imap.session;

/** What the server announces, by session state. Only what is implemented is listed. */
final class Capabilities {

    private static final String BASE = "IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE";
    private static final String AFTER_LOGIN = " NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE"
            + " CONDSTORE QRESYNC ESEARCH SEARCHRES WITHIN BINARY MULTIAPPEND QUOTA QUOTA=RES-STORAGE QUOTA=RES-MESSAGE"
            + " STATUS=SIZE UTF8=ACCEPT COMPRESS=DEFLATE SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES";

    private Capabilities() {
    }

    static String of(ImapSettings settings, boolean tls, boolean authenticated) {
        StringBuilder caps = new StringBuilder(BASE);
        if (authenticated) {
            return caps.append(AFTER_LOGIN).append(" APPENDLIMIT=").append(settings.limits().maxLiteralSize()).toString();
        }
        if (!tls && !settings.implicitTls()) {
            caps.append(" STARTTLS");
        }
        if (tls || settings.plaintextAuth()) {
            settings.authMechanisms().forEach(mechanism -> caps.append(" AUTH=").append(mechanism));
        } else {
            caps.append(" LOGINDISABLED");
        }
        return caps.toString();
    }
}

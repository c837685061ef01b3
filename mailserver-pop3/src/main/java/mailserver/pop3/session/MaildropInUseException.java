package mailserver.pop3.session;

/** Another POP3 session holds the mailbox, and sessions are locked ({@link Pop3Settings#lockSession()}). */
final class MaildropInUseException extends Exception {

    MaildropInUseException() {
        super("mailbox locked by another POP3 session", null, false, false);
    }
}

package mailserver.smtp.session;

/** What the directory says about one RCPT TO address. */
public enum RecipientStatus {
    /** an account, alias or catch-all of a local domain: accepted from anyone */
    LOCAL,
    /** not a local domain: accepted only for relaying clients (authenticated or trusted network) */
    NOT_LOCAL,
    /** a local domain without that user: {@code 550 5.1.1} */
    UNKNOWN_USER,
    /** a local account that is over its quota: {@code 452 4.2.2} */
    OVER_QUOTA
}

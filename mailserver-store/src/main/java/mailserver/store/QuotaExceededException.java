package mailserver.store;

/** Delivery or append would go over the account's quota (SMTP 552 5.2.2, IMAP NO [OVERQUOTA]). */
public final class QuotaExceededException extends StoreException {

    public QuotaExceededException(String message) {
        super(Reason.QUOTA_EXCEEDED, message);
    }
}

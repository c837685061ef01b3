package mailserver.store;

/** How much of its {@link Quota} an account uses (IMAP GETQUOTAROOT). */
public record QuotaUsage(long bytes, long messages, Quota limits) {
}

package mailserver.smtp.command;

/** One value of {@code NOTIFY=} on RCPT (RFC 3461 4.1): when the sender wants a DSN. */
public enum DsnNotify {
    NEVER, SUCCESS, FAILURE, DELAY
}

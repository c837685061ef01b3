package mailserver.smtp.command;

/** {@code RET=} of MAIL (RFC 3461 4.3): what a failure DSN should carry back to the sender. */
public enum DsnReturn {
    /** the whole message */
    FULL,
    /** only its header */
    HDRS
}

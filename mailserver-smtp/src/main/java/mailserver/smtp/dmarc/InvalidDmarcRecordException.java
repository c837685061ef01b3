package mailserver.smtp.dmarc;

/** A record that begins with {@code v=DMARC1} but cannot be used. */
final class InvalidDmarcRecordException extends Exception {

    InvalidDmarcRecordException(String message) {
        super(message);
    }
}

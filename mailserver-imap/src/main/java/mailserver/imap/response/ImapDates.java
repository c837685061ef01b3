package mailserver.imap.response;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** INTERNALDATE's {@code "17-Jul-1996 02:44:25 -0700"}, in the server's time zone as Dovecot shows it. */
public final class ImapDates {

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneId.systemDefault());

    private ImapDates() {
    }

    public static String dateTime(Instant instant) {
        return DATE_TIME.format(instant);
    }
}

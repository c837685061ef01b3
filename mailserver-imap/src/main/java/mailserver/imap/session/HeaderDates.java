package mailserver.imap.session;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The Date header's value (RFC 5322, comments dropped) as a time, for SENTBEFORE and SORT DATE. */
final class HeaderDates {

    private HeaderDates() {
    }

    static Optional<ZonedDateTime> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String cleaned = value.replaceAll("\\([^)]*\\)", "").trim().replaceAll("\\s+", " ");
        try {
            return Optional.of(ZonedDateTime.parse(cleaned, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

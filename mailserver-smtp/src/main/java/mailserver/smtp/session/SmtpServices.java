package mailserver.smtp.session;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What an SMTP session needs from the rest of the server; one instance shared by all sessions.
 *
 * @param spoolDir where incoming messages are written while they arrive (data-dir/spool)
 * @param clock    for Received dates
 */
public record SmtpServices(
        RecipientResolver recipients,
        SenderOwnership senders,
        Authenticator authenticator,
        MessageSink sink,
        Path spoolDir,
        Clock clock) {

    public SmtpServices {
        Objects.requireNonNull(recipients, "recipients");
        Objects.requireNonNull(senders, "senders");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(spoolDir, "spoolDir");
        Objects.requireNonNull(clock, "clock");
    }
}

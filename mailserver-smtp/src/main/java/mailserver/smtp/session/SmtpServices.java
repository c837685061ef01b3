package mailserver.smtp.session;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What an SMTP session needs from the rest of the server; one instance shared by all sessions.
 *
 * @param spoolDir where incoming messages are written while they arrive (data-dir/spool)
 * @param clock    for Received dates
 * @param checks   SPF, DKIM and DMARC for mail from strangers
 */
public record SmtpServices(
        RecipientResolver recipients,
        SenderOwnership senders,
        Authenticator authenticator,
        MessageSink sink,
        Path spoolDir,
        Clock clock,
        MessageChecks checks) {

    /** Without SPF, DKIM and DMARC checks. */
    public SmtpServices(RecipientResolver recipients, SenderOwnership senders, Authenticator authenticator,
            MessageSink sink, Path spoolDir, Clock clock) {
        this(recipients, senders, authenticator, sink, spoolDir, clock, MessageChecks.NONE);
    }

    public SmtpServices {
        Objects.requireNonNull(recipients, "recipients");
        Objects.requireNonNull(senders, "senders");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(spoolDir, "spoolDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(checks, "checks");
    }

    public SmtpServices withChecks(MessageChecks messageChecks) {
        return new SmtpServices(recipients, senders, authenticator, sink, spoolDir, clock, messageChecks);
    }
}

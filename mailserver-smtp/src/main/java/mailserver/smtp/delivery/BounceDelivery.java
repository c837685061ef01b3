package mailserver.smtp.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import mailserver.auth.directory.Directory;
import mailserver.auth.directory.DirectoryException;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.command.BodyType;
import mailserver.smtp.command.MailParameters;
import mailserver.smtp.command.RcptParameters;
import mailserver.smtp.queue.BounceInjector;
import mailserver.smtp.session.DeliveryResult;
import mailserver.smtp.session.Envelope;
import mailserver.smtp.session.MessageSink;
import mailserver.smtp.session.QueueIds;
import mailserver.smtp.session.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the queue's DSNs as if received from the null sender over SMTP: through the same
 * {@link MessageSink} as every message, so a local sender finds the DSN in its INBOX and a
 * remote one gets it through the outbound queue.
 */
final class BounceDelivery implements BounceInjector {

    private static final Logger log = LoggerFactory.getLogger(BounceDelivery.class);
    private static final InetSocketAddress SELF = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final MessageSink sink;
    private final Directory directory;
    private final String hostname;
    private final Clock clock;

    BounceDelivery(MessageSink sink, Directory directory, String hostname, Clock clock) {
        this.sink = sink;
        this.directory = directory;
        this.hostname = hostname;
        this.clock = clock;
    }

    @Override
    public String inject(String recipient, Path message, boolean eightBit) throws IOException {
        MailAddress to = MailAddress.parse(recipient);
        boolean local;
        try {
            local = directory.isLocalDomain(to.domain());
        } catch (DirectoryException e) {
            throw new IOException("cannot tell whether " + to.domain() + " is local: " + e.getMessage(), e);
        }
        String id = QueueIds.next();
        MailParameters parameters = new MailParameters(OptionalLong.empty(),
                eightBit ? Optional.of(BodyType.EIGHT_BIT_MIME) : Optional.empty(), false, Optional.empty(),
                Optional.empty(), Optional.empty());
        Envelope envelope = new Envelope(id, Optional.empty(), parameters,
                List.of(new Recipient(to, RcptParameters.NONE, local)), hostname, SELF, Optional.empty(), Optional.empty(),
                clock.instant());
        DeliveryResult result = sink.deliver(envelope, message);
        for (DeliveryResult.Failure failure : result.failures()) {
            if (!failure.permanent()) {
                throw new IOException("notification " + id + " not delivered: " + failure.reason());
            }
            // Postfix would send a double bounce to the postmaster; the log line has to do.
            log.warn("{}: notification to <{}> dropped: {}", id, recipient, failure.reason());
        }
        return id;
    }
}

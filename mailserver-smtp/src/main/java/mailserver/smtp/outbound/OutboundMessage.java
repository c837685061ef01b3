package mailserver.smtp.outbound;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One delivery attempt's worth of a queued message: its envelope for one destination domain.
 *
 * @param queueId    for log lines
 * @param domain     the destination domain all recipients share (A-labels)
 * @param sender     the reverse path, {@code ""} for the null sender
 * @param recipients at least one, all in {@code domain}
 * @param content    the message file, CRLF line ends, not dot-stuffed; only read
 * @param size       its size in octets (for SIZE=)
 * @param eightBit   the client gave BODY=8BITMIME
 * @param smtpUtf8   the client gave SMTPUTF8: the next hop must offer it
 * @param envid      ENVID= (decoded), or null
 * @param ret        {@code FULL} or {@code HDRS}, or null
 */
public record OutboundMessage(String queueId, String domain, String sender, List<OutboundRecipient> recipients,
                              Path content, long size, boolean eightBit, boolean smtpUtf8, String envid,
                              String ret) {

    public OutboundMessage {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(content, "content");
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("an outbound message needs at least one recipient");
        }
        recipients = List.copyOf(recipients);
    }
}

package mailserver.smtp.queue;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The envelope file of an outbound queue entry ({@code <queueId>.json}): who the message is from,
 * whom it still has to reach, and the DSN parameters (RFC 3461) the client gave, so the Outbound
 * scheduler can deliver it and bounce it. Written once by {@link QueueWriter} with
 * {@code attempts = 0}; the scheduler rewrites it as it tries. The format is in docs/smtp.md.
 *
 * @param version     {@value #VERSION}; a reader refuses others
 * @param queueId     the id of the transaction that received the message, in every log line about it
 * @param sender      the reverse path, {@code ""} for the null sender {@code <>} (bounces)
 * @param ret         {@code FULL} or {@code HDRS} (RET=), or null when the client did not say
 * @param envid       ENVID=, decoded from xtext, or null
 * @param smtpUtf8    the client sent SMTPUTF8: the next hop must offer it too
 * @param body        {@code 7BIT}, {@code 8BITMIME} or {@code BINARYMIME} (BODY=), or null
 * @param arrival     when the message was received, ISO-8601 UTC ({@code 2025-06-03T10:00:00Z})
 * @param attempts    delivery attempts so far
 * @param client      the IP address the message came from
 * @param authUser    the SASL identity of the client, or null
 * @param recipients  at least one
 */
public record QueueEnvelope(
        int version,
        String queueId,
        String sender,
        String ret,
        String envid,
        boolean smtpUtf8,
        String body,
        String arrival,
        int attempts,
        String client,
        String authUser,
        List<QueueRecipient> recipients) {

    public static final int VERSION = 1;

    public QueueEnvelope {
        if (version != VERSION) {
            throw new IllegalArgumentException("queue envelope version " + version + ", expected " + VERSION);
        }
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(client, "client");
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("a queue entry needs at least one recipient");
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("negative attempt count");
        }
        recipients = List.copyOf(recipients);
    }

    /**
     * One address the message still has to reach.
     *
     * @param address           where to deliver ({@code local@domain}, domain in A-labels)
     * @param notifyOn          NOTIFY= values (JSON {@code notify}) ({@code NEVER}, or some of {@code SUCCESS FAILURE DELAY});
     *                          empty when the client did not say (RFC 3461 default: FAILURE, DELAY)
     * @param orcpt             ORCPT= as {@code addr-type;address} (decoded), or null; for a
     *                          recipient reached through an alias it is the address the client named
     * @param originalRecipient the RCPT TO address this one was expanded from, or null when it is that address
     */
    public record QueueRecipient(String address, @JsonProperty("notify") List<String> notifyOn, String orcpt,
                                 String originalRecipient) {

        public QueueRecipient {
            Objects.requireNonNull(address, "address");
            notifyOn = notifyOn == null ? List.of() : List.copyOf(notifyOn);
        }
    }
}

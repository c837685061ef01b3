package mailserver.smtp.queue;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The envelope file of an outbound queue entry ({@code <queueId>.json}): who the message is from,
 * whom it still has to reach, and the DSN parameters (RFC 3461) the client gave, so the Outbound
 * scheduler can deliver it and bounce it. Written once by {@link QueueWriter} with
 * {@code attempts = 0}; the scheduler rewrites it after each attempt, dropping the recipients it is
 * done with. The format is in docs/smtp.md.
 *
 * @param version     {@value #VERSION}; a reader refuses others
 * @param queueId     the id of the transaction that received the message, in every log line about it
 * @param sender      the reverse path, {@code ""} for the null sender {@code <>} (bounces)
 * @param ret         {@code FULL} or {@code HDRS} (RET=), or null when the client did not say
 * @param envid       ENVID=, decoded from xtext, or null
 * @param smtpUtf8    the client sent SMTPUTF8: the next hop must offer it too
 * @param body        {@code 7BIT}, {@code 8BITMIME} or {@code BINARYMIME} (BODY=), or null
 * @param arrival     when the message was received, ISO-8601 UTC ({@code 2025-06-03T10:00:00Z})
 * @param attempts    delivery attempts of this entry so far (each recipient counts its own too)
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

    public static final int VERSION = 3;

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

    public QueueEnvelope withRecipients(List<QueueRecipient> remaining, int attemptsSoFar) {
        return new QueueEnvelope(version, queueId, sender, ret, envid, smtpUtf8, body, arrival, attemptsSoFar, client,
                authUser, remaining);
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
     * @param attempts          delivery attempts to this recipient so far
     * @param nextAttempt       when to try again, ISO-8601 UTC, or null for at once
     * @param last              how the last attempt ended, or null before the first
     * @param delayWarned       the sender was sent its {@code delayed} DSN ({@code queue.delay-warning}), so not again
     */
    public record QueueRecipient(String address, @JsonProperty("notify") List<String> notifyOn, String orcpt,
                                 String originalRecipient, int attempts, String nextAttempt, LastAttempt last,
                                 boolean delayWarned) {

        public QueueRecipient {
            Objects.requireNonNull(address, "address");
            notifyOn = notifyOn == null ? List.of() : List.copyOf(notifyOn);
            if (attempts < 0) {
                throw new IllegalArgumentException("negative attempt count");
            }
        }

        /** A recipient not tried yet. */
        public QueueRecipient(String address, List<String> notifyOn, String orcpt, String originalRecipient) {
            this(address, notifyOn, orcpt, originalRecipient, 0, null, null, false);
        }

        public QueueRecipient deferred(LastAttempt attempt, String retryAt) {
            return new QueueRecipient(address, notifyOn, orcpt, originalRecipient, attempts + 1, retryAt, attempt, delayWarned);
        }

        public QueueRecipient dueAt(String at) {
            return new QueueRecipient(address, notifyOn, orcpt, originalRecipient, attempts, at, last, delayWarned);
        }

        public QueueRecipient warnedOfDelay() {
            return new QueueRecipient(address, notifyOn, orcpt, originalRecipient, attempts, nextAttempt, last, true);
        }
    }

    /**
     * The outcome of the latest attempt, kept for {@code mailserver queue list} and for the DSN
     * when the recipient expires.
     *
     * @param at         when, ISO-8601 UTC
     * @param status     RFC 3463 code, e.g. {@code 4.4.1}
     * @param relay      {@code mx.example.org[192.0.2.1]:25}, or {@code none}
     * @param diagnostic the remote reply or a local reason
     * @param remote     {@code diagnostic} is the remote server's SMTP reply
     */
    public record LastAttempt(String at, String status, String relay, String diagnostic, boolean remote) {

        public LastAttempt {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(diagnostic, "diagnostic");
        }
    }
}

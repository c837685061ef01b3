package mailserver.store.mime;

import java.util.List;

/**
 * The header fields of IMAP's ENVELOPE, values as in the message (unfolded, not decoded) or
 * null when absent. Sender and Reply-To already fall back to From, as RFC 3501 requires.
 */
public record Envelope(String date, String subject, List<EnvelopeAddress> from, List<EnvelopeAddress> sender,
                       List<EnvelopeAddress> replyTo, List<EnvelopeAddress> to, List<EnvelopeAddress> cc,
                       List<EnvelopeAddress> bcc, String inReplyTo, String messageId) {
}

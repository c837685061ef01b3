package mailserver.smtp.session;

import java.util.List;
import java.util.Objects;

import mailserver.smtp.reply.Reply;

/**
 * What became of a message handed to the {@link MessageSink}.
 *
 * @param failures one entry per recipient that did not get a durable copy; empty when all did
 */
public record DeliveryResult(List<Failure> failures) {

    public static final DeliveryResult DELIVERED = new DeliveryResult(List.of());

    public DeliveryResult {
        failures = List.copyOf(failures);
    }

    /**
     * @param reply  what this recipient alone would hear, e.g. {@code 452 4.2.2 Mailbox full}
     *               or {@code 550 5.1.1} for an account deleted since RCPT; a 5xx means trying
     *               again cannot help. The client hears it when every recipient failed alike.
     * @param reason for the log, e.g. {@code "quota exceeded"}
     */
    public record Failure(Recipient recipient, Reply reply, String reason) {
        public Failure {
            Objects.requireNonNull(recipient);
            Objects.requireNonNull(reason);
            if (!reply.isTransientFailure() && !reply.isPermanentFailure()) {
                throw new IllegalArgumentException("a failure needs a 4xx or 5xx reply: " + reply.summary());
            }
        }

        public boolean permanent() {
            return reply.isPermanentFailure();
        }
    }
}

package mailserver.smtp.session;

import java.util.List;
import java.util.Objects;

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
     * @param permanent true when trying again cannot help (e.g. the account was just deleted)
     * @param reason    for the log, e.g. {@code "quota exceeded"}
     */
    public record Failure(Recipient recipient, boolean permanent, String reason) {
        public Failure {
            Objects.requireNonNull(recipient);
            Objects.requireNonNull(reason);
        }
    }
}

package mailserver.smtp.outbound;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands queued messages to other mail servers (Postfix's smtp(8)): the queue scheduler calls
 * {@link #deliver} once per message and destination domain and records the outcomes.
 */
public interface OutboundTransport extends AutoCloseable {

    /**
     * Tries to deliver one message to its recipients, which all share one destination domain.
     * Never completes exceptionally: every failure is a {@link RecipientOutcome}, one per
     * recipient, in the order of {@link OutboundMessage#recipients()}.
     */
    CompletableFuture<List<RecipientOutcome>> deliver(OutboundMessage message);

    /** Closes cached connections (with QUIT) and releases threads. */
    @Override
    void close();
}

package mailserver.smtp.outbound;

import java.util.List;
import java.util.Objects;

/**
 * One recipient of an {@link OutboundMessage} with its RFC 3461 parameters, passed on to a next
 * hop that offers DSN. ({@code notifyOn}, not {@code notify}: a record component may not
 * be named after {@link Object#notify()}; the same name as {@code QueueEnvelope.QueueRecipient}.)
 *
 * @param address  where to deliver ({@code local@domain})
 * @param notifyOn NOTIFY= values ({@code NEVER}, or some of {@code SUCCESS FAILURE DELAY}); empty when not given
 * @param orcpt    ORCPT= as {@code addr-type;address} (decoded), or null
 */
public record OutboundRecipient(String address, List<String> notifyOn, String orcpt) {

    public OutboundRecipient {
        Objects.requireNonNull(address, "address");
        notifyOn = notifyOn == null ? List.of() : List.copyOf(notifyOn);
    }
}

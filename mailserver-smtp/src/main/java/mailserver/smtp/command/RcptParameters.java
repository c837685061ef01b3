package mailserver.smtp.command;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ESMTP parameters of RCPT TO this server understands, both from DSN (RFC 3461).
 *
 * @param notifyOn          NOTIFY=; empty when not given (the default: failures and delays);
 *                          {@link DsnNotify#NEVER} only ever alone
 * @param originalRecipient ORCPT=
 */
public record RcptParameters(Set<DsnNotify> notifyOn, Optional<OriginalRecipient> originalRecipient) {

    public static final RcptParameters NONE = new RcptParameters(Set.of(), Optional.empty());

    public RcptParameters {
        notifyOn = notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
        Objects.requireNonNull(originalRecipient);
        if (notifyOn.contains(DsnNotify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other values");
        }
    }

    String format() {
        StringBuilder out = new StringBuilder();
        if (!notifyOn.isEmpty()) {
            out.append(" NOTIFY=").append(EnumSet.copyOf(notifyOn).stream().map(Enum::name).collect(Collectors.joining(",")));
        }
        originalRecipient.ifPresent(o -> out.append(" ORCPT=").append(o.format()));
        return out.toString();
    }
}

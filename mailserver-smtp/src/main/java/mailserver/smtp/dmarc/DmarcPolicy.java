package mailserver.smtp.dmarc;

import java.util.Locale;
import java.util.Optional;

/** The {@code p=} and {@code sp=} values of RFC 7489 6.3, mildest first. */
public enum DmarcPolicy {
    NONE,
    QUARANTINE,
    REJECT;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** RFC 7489 6.6.4: a message left out by {@code pct=} gets the next milder policy. */
    DmarcPolicy milder() {
        return this == NONE ? NONE : values()[ordinal() - 1];
    }

    static Optional<DmarcPolicy> parse(String value) {
        for (DmarcPolicy policy : values()) {
            if (policy.keyword().equalsIgnoreCase(value)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}

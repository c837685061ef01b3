package mailserver.smtp.command;

import java.util.Objects;

/**
 * {@code ORCPT=addr-type;xtext} of RCPT (RFC 3461 4.2): the recipient as the sender first
 * wrote it, carried along so a later DSN can name it.
 *
 * @param addressType e.g. {@code rfc822}; an atom, kept as given
 * @param address     the xtext-decoded address, not checked further (RFC 3461 says to pass it on)
 */
public record OriginalRecipient(String addressType, String address) {

    public OriginalRecipient {
        Objects.requireNonNull(addressType);
        Objects.requireNonNull(address);
    }

    String format() {
        return addressType + ";" + Xtext.encode(address);
    }
}

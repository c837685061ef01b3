package mailserver.imap.parse;

import mailserver.store.maildir.ModifiedUtf7;

/**
 * Mailbox names between the wire and the store: modified UTF-7 (RFC 3501 5.1.3), or UTF-8 once
 * the client enabled UTF8=ACCEPT (RFC 6855). INBOX is case-insensitive.
 */
public final class MailboxNames {

    private MailboxNames() {
    }

    /** The name a client sent, decoded; null when it is not valid modified UTF-7. */
    public static String decode(String wire, boolean utf8) {
        if (wire.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (utf8) {
            return wire;
        }
        for (int i = 0; i < wire.length(); i++) {
            if (wire.charAt(i) > 0x7e) {
                // 8-bit names from a client that did not ENABLE UTF8=ACCEPT: take them as UTF-8,
                // as Dovecot does, rather than refuse what the user typed.
                return wire;
            }
        }
        try {
            return ModifiedUtf7.decode(wire);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** How a name is sent to the client. */
    public static String encode(String name, boolean utf8) {
        return utf8 ? name : ModifiedUtf7.encode(name);
    }
}

package mailserver.store.mime;

/**
 * One address of an envelope in RFC 3501's shape. A group is a start marker (only
 * {@code mailbox}, the group's name), its members, and an end marker (all null).
 *
 * @param name decoded display name, or null
 */
public record EnvelopeAddress(String name, String route, String mailbox, String host) {

    static EnvelopeAddress groupStart(String groupName) {
        return new EnvelopeAddress(null, null, groupName, null);
    }

    static EnvelopeAddress groupEnd() {
        return new EnvelopeAddress(null, null, null, null);
    }
}

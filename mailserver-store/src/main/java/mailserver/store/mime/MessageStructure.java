package mailserver.store.mime;

/** A parsed message: its envelope and the root of its MIME tree. */
public record MessageStructure(Envelope envelope, BodyPart body) {
}

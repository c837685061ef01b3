package mailserver.store;

import java.time.Instant;

/**
 * What a folder knows about one message without opening it.
 *
 * @param size         RFC822.SIZE: the message with CRLF line ends, as it is served
 * @param internalDate when the message arrived (the file's modification time, as Dovecot has it)
 */
public record MessageRef(long uid, long modseq, Flags flags, long size, Instant internalDate) {
}

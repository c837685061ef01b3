package mailserver.store.index;

/**
 * What the folder keeps about one message, in memory and in the index file.
 *
 * @param base         the file's base name, its identity in {@code dovecot-uidlist}
 * @param fileName     the full current name, flags included
 * @param inNew        whether the file is in {@code new/} rather than {@code cur/}
 * @param physicalSize bytes on disk (what quota counts)
 * @param virtualSize  bytes with CRLF line ends (what IMAP reports)
 * @param internalDate milliseconds since the epoch
 */
public record IndexedMessage(long uid, String base, String fileName, boolean inNew, long modseq,
                             long physicalSize, long virtualSize, long internalDate) {

    public IndexedMessage withFile(String newFileName, boolean nowInNew, long newModseq) {
        return new IndexedMessage(uid, base, newFileName, nowInNew, newModseq, physicalSize, virtualSize, internalDate);
    }

    public String directory() {
        return inNew ? "new" : "cur";
    }
}

package mailserver.store;

/** The IMAP system flags that Maildir keeps in the file name, with their letters. */
public enum SystemFlag {
    DRAFT('D', "\\Draft"),
    FLAGGED('F', "\\Flagged"),
    ANSWERED('R', "\\Answered"),
    SEEN('S', "\\Seen"),
    DELETED('T', "\\Deleted");

    private final char letter;
    private final String imapName;

    SystemFlag(char letter, String imapName) {
        this.letter = letter;
        this.imapName = imapName;
    }

    public char letter() {
        return letter;
    }

    public String imapName() {
        return imapName;
    }

    /** @return null for a letter that is not one of ours (Maildir's {@code P} for passed, say) */
    public static SystemFlag ofLetter(char letter) {
        for (SystemFlag f : values()) {
            if (f.letter == letter) {
                return f;
            }
        }
        return null;
    }
}

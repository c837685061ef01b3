package mailserver.store;

import java.util.Optional;

/**
 * RFC 6154 special-use folders. Dovecot keeps these in its configuration, not on disk, with
 * these well-known names in its default configuration, so the names are what make a folder special.
 */
public enum SpecialUse {
    SENT("\\Sent", "Sent"),
    DRAFTS("\\Drafts", "Drafts"),
    TRASH("\\Trash", "Trash"),
    JUNK("\\Junk", "Junk"),
    ARCHIVE("\\Archive", "Archive");

    private final String attribute;
    private final String folderName;

    SpecialUse(String attribute, String folderName) {
        this.attribute = attribute;
        this.folderName = folderName;
    }

    /** The LIST attribute, such as {@code \Sent}. */
    public String attribute() {
        return attribute;
    }

    /** The folder name that has this use. */
    public String folderName() {
        return folderName;
    }

    public static Optional<SpecialUse> of(String folderName) {
        for (SpecialUse use : values()) {
            if (use.folderName.equals(folderName)) {
                return Optional.of(use);
            }
        }
        return Optional.empty();
    }
}

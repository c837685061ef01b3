package mailserver.store;

/** How {@link Folder#store} combines the given flags with a message's own (IMAP STORE's FLAGS, +FLAGS, -FLAGS). */
public enum FlagUpdate {
    REPLACE, ADD, REMOVE
}

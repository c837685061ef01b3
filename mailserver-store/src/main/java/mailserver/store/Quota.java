package mailserver.store;

/** An account's limits from the directory; 0 means unlimited. */
public record Quota(long maxBytes, long maxMessages) {

    public static final Quota UNLIMITED = new Quota(0, 0);

    public Quota {
        if (maxBytes < 0 || maxMessages < 0) {
            throw new IllegalArgumentException("quota limits must not be negative");
        }
    }
}

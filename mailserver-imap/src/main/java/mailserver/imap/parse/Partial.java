package mailserver.imap.parse;

/** {@code <offset.length>}: only these bytes of a fetched section. */
public record Partial(long offset, long length) {
    public Partial {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative partial range");
        }
    }
}

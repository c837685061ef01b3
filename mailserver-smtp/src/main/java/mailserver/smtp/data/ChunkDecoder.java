package mailserver.smtp.data;

/**
 * Reads the octets of one {@code BDAT} chunk (RFC 3030): exactly the announced count, taken as
 * they are, no dot-stuffing and no end marker. A chunk the session refuses must still be read
 * off the connection; {@link #discarding} does that.
 */
public final class ChunkDecoder {

    private final SpoolWriter out;
    private long remaining;

    private ChunkDecoder(SpoolWriter out, long size) {
        this.out = out;
        this.remaining = size;
    }

    /** Reads {@code size} octets into {@code out} (which applies the message size limit). */
    public static ChunkDecoder into(SpoolWriter out, long size) {
        return new ChunkDecoder(out, size);
    }

    /** Reads {@code size} octets and throws them away. */
    public static ChunkDecoder discarding(long size) {
        return new ChunkDecoder(null, size);
    }

    /** @return how many of the {@code length} bytes belonged to the chunk */
    public int feed(byte[] bytes, int offset, int length) {
        int taken = (int) Math.min(length, remaining);
        if (out != null && taken > 0) {
            out.write(bytes, offset, taken);
        }
        remaining -= taken;
        return taken;
    }

    public boolean finished() {
        return remaining == 0;
    }
}

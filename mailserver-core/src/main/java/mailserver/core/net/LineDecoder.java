package mailserver.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts the byte stream into lines ending in LF, each passed up as a {@link ByteBuf} with its
 * line ending as received, so a protocol can tell CRLF from a bare LF (SMTP smuggling). A line
 * longer than the limit becomes one {@link LineTooLong} and is skipped up to its LF.
 *
 * <p>Unlike Netty's own decoders it can be told, between two lines, to hold back further input
 * ({@link #suspend()}, so commands run strictly in order while one is busy elsewhere), to pass
 * the next n bytes up unframed ({@link #readRaw}, for BDAT and literals), or to forget what it
 * holds ({@link #discardBuffered()}, for STARTTLS). All methods run on the channel's event loop.
 */
final class LineDecoder extends ChannelInboundHandlerAdapter {

    private static final byte LF = '\n';

    private final int maxLength;
    private ChannelHandlerContext ctx;
    private ByteBuf buffer;
    private boolean skippingLongLine;
    private long rawBytesLeft;
    private boolean suspended;
    private boolean draining;

    LineDecoder(int maxLength) {
        this.maxLength = maxLength;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBuffer();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        buffer = buffer == null ? bytes : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffer, bytes);
        drain();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBuffer();
        ctx.fireChannelInactive();
    }

    /** Stops passing lines up (and reading from the socket) until {@link #resume()}. */
    void suspend() {
        suspended = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Passes up what was held back, then reads from the socket again. */
    void resume() {
        suspended = false;
        drain();
        if (!suspended) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** The next {@code count} bytes go up as they arrive, in chunks, without line framing. */
    void readRaw(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("negative byte count: " + count);
        }
        rawBytesLeft = count;
        drain();
    }

    /** Forgets every byte received and not yet passed up. */
    void discardBuffered() {
        if (buffer != null) {
            buffer.skipBytes(buffer.readableBytes());
        }
        rawBytesLeft = 0;
        skippingLongLine = false;
    }

    private void drain() {
        if (draining) {
            return; // called by a handler from inside the loop below; the loop carries on
        }
        draining = true;
        try {
            while (!suspended && buffer != null && buffer.isReadable() && ctx.channel().isActive()) {
                Object frame = nextFrame();
                if (frame == null) {
                    break;
                }
                ctx.fireChannelRead(frame);
            }
        } finally {
            draining = false;
        }
        if (buffer != null && !buffer.isReadable()) {
            releaseBuffer();
        }
    }

    /** The next line, raw chunk or {@link LineTooLong}; null when more bytes are needed. */
    private Object nextFrame() {
        if (rawBytesLeft > 0) {
            int length = (int) Math.min(rawBytesLeft, buffer.readableBytes());
            rawBytesLeft -= length;
            return buffer.readRetainedSlice(length);
        }
        if (skippingLongLine) {
            int lf = buffer.indexOf(buffer.readerIndex(), buffer.writerIndex(), LF);
            if (lf < 0) {
                buffer.skipBytes(buffer.readableBytes());
                return null;
            }
            buffer.readerIndex(lf + 1);
            skippingLongLine = false;
        }
        int searchEnd = (int) Math.min(buffer.writerIndex(), (long) buffer.readerIndex() + maxLength);
        int lf = buffer.indexOf(buffer.readerIndex(), searchEnd, LF);
        if (lf >= 0) {
            return buffer.readRetainedSlice(lf + 1 - buffer.readerIndex());
        }
        if (buffer.readableBytes() < maxLength) {
            return null;
        }
        buffer.skipBytes(maxLength);
        skippingLongLine = true;
        return new LineTooLong(maxLength);
    }

    private void releaseBuffer() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}

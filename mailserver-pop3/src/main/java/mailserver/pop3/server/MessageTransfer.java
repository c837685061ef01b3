package mailserver.pop3.server;

import java.io.IOException;
import java.io.InputStream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import mailserver.core.net.WorkerPool;
import mailserver.pop3.message.MessageEncoder;
import mailserver.pop3.session.MessageBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one message (RETR, TOP) to the client without holding it in memory and without
 * blocking the event loop: a worker reads and encodes a chunk, the event loop writes it, and
 * the next chunk is read only while the channel is writable, so a slow client holds at most
 * Netty's write buffer (high water mark) plus one chunk.
 */
final class MessageTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageTransfer.class);
    private static final int CHUNK = 64 * 1024;

    /** One encoded piece, and whether it ends the response. */
    private record Chunk(byte[] bytes, boolean last) {
    }

    private final ChannelHandlerContext ctx;
    private final WorkerPool workers;
    private final InputStream content;
    private final MessageEncoder encoder;
    private final Runnable done;
    private boolean waitingForWritability;
    private boolean finished;

    MessageTransfer(ChannelHandlerContext ctx, WorkerPool workers, MessageBody body, Runnable done) {
        this.ctx = ctx;
        this.workers = workers;
        this.content = body.content();
        this.encoder = body.encoder();
        this.done = done;
    }

    void start() {
        nextChunk();
    }

    /** The channel's writability changed: go on if it was waiting for room. Event loop. */
    void writabilityChanged() {
        if (waitingForWritability && ctx.channel().isWritable()) {
            waitingForWritability = false;
            nextChunk();
        }
    }

    /** True while the transfer waits for a client that does not read. */
    boolean stalled() {
        return waitingForWritability;
    }

    /** The connection ended: stop and let go of the file. Event loop. */
    void abort() {
        if (!finished && !waitingForWritability) {
            return; // a chunk is being read on a worker; it sees the closed channel and cleans up
        }
        finish();
    }

    private void nextChunk() {
        workers.execute(ctx.channel(), this::read, (chunk, failure) -> {
            if (failure != null) {
                // Part of the message may be out already: no -ERR can follow, only closing.
                LOG.warn("reading a message failed mid-transfer, closing: {}", failure.toString());
                finish();
                ctx.close();
                return;
            }
            if (!ctx.channel().isActive()) {
                finish();
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(chunk.bytes()));
            if (chunk.last()) {
                finish();
                done.run();
            } else if (ctx.channel().isWritable()) {
                nextChunk();
            } else {
                waitingForWritability = true;
            }
        });
    }

    /** On a worker: the next encoded chunk. */
    private Chunk read() throws IOException {
        byte[] buffer = new byte[CHUNK];
        int n = encoder.wantsMore() ? content.readNBytes(buffer, 0, CHUNK) : 0;
        byte[] encoded = encoder.encode(buffer, 0, n);
        if (n < CHUNK || !encoder.wantsMore()) {
            byte[] end = encoder.finish();
            byte[] all = new byte[encoded.length + end.length];
            System.arraycopy(encoded, 0, all, 0, encoded.length);
            System.arraycopy(end, 0, all, encoded.length, end.length);
            return new Chunk(all, true);
        }
        return new Chunk(encoded, false);
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        waitingForWritability = false;
        try {
            content.close();
        } catch (IOException e) {
            LOG.debug("closing a message file failed: {}", e.toString());
        }
    }
}

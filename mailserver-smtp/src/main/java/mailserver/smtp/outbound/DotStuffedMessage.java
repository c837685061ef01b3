package mailserver.smtp.outbound;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * A message file as DATA sends it (RFC 5321 4.5.2): a dot doubled at the start of every line,
 * a CRLF added when the file does not end in one, then the final {@code .CRLF}. Read a chunk at
 * a time as the socket takes it, so a large message is never whole in memory.
 */
final class DotStuffedMessage implements ChunkedInput<ByteBuf> {

    static final int CHUNK_SIZE = 16 * 1024;

    private final FileChannel file;
    private final long length;
    private final ByteBuffer read = ByteBuffer.allocate(CHUNK_SIZE);
    private long progress;
    private boolean atLineStart = true;
    private byte last1;
    private byte last2;
    private boolean done;

    DotStuffedMessage(Path message) throws IOException {
        this.file = FileChannel.open(message, StandardOpenOption.READ);
        this.length = file.size();
    }

    @Override
    public boolean isEndOfInput() {
        return done;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (done) {
            return null;
        }
        read.clear();
        int n = file.read(read);
        if (n < 0) {
            done = true;
            boolean endsWithCrLf = progress >= 2 && last2 == '\r' && last1 == '\n';
            ByteBuf end = allocator.buffer(5);
            if (progress > 0 && !endsWithCrLf) {
                end.writeByte('\r').writeByte('\n');
            }
            return end.writeByte('.').writeByte('\r').writeByte('\n');
        }
        progress += n;
        // At most one extra dot per line; an extra eighth covers ordinary text without growing.
        ByteBuf out = allocator.buffer(n + n / 8 + 1);
        byte[] bytes = read.array();
        for (int i = 0; i < n; i++) {
            byte b = bytes[i];
            if (atLineStart && b == '.') {
                out.writeByte('.');
            }
            out.writeByte(b);
            atLineStart = b == '\n';
            last2 = last1;
            last1 = b;
        }
        return out;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return progress;
    }
}

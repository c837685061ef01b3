package mailserver.smtp.outbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Matches the server's replies to the commands sent, in order (RFC 2920: replies to pipelined
 * commands come in the order of the commands). Each expected reply has its own timeout, counted
 * from the moment it is the next one due, so a pipelined batch gives every reply its full time.
 * A timeout, a lost connection or a reply nobody asked for fails what is still expected and
 * closes the connection. Runs on the channel's event loop only.
 */
final class ReplyReader extends SimpleChannelInboundHandler<ByteBuf> {

    /** An expected reply did not come in time. */
    static final class ReplyTimeoutException extends IOException {
        ReplyTimeoutException(Duration timeout) {
            super("no reply within " + timeout.toMillis() + "ms");
        }
    }

    private record Expected(CompletableFuture<RemoteReply> reply, Duration timeout) {
    }

    private final Deque<Expected> expected = new ArrayDeque<>();
    private final List<String> lines = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private IOException failure;

    /** Registers the greeting before the connection exists, so it cannot arrive unexpected. */
    ReplyReader(CompletableFuture<RemoteReply> greeting, Duration timeout) {
        expected.add(new Expected(greeting, timeout));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armTimer();
        ctx.fireChannelActive();
    }

    /** Must be called on the event loop, before the command is written. */
    CompletableFuture<RemoteReply> expect(Duration timeout) {
        CompletableFuture<RemoteReply> reply = new CompletableFuture<>();
        if (failure != null) {
            reply.completeExceptionally(failure);
            return reply;
        }
        expected.add(new Expected(reply, timeout));
        if (expected.size() == 1) {
            armTimer();
        }
        return reply;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.length() < 3 || !text.substring(0, 3).chars().allMatch(Character::isDigit)
                || text.length() > 3 && text.charAt(3) != ' ' && text.charAt(3) != '-') {
            fail(new IOException("malformed reply line: " + text));
            return;
        }
        lines.add(text.length() > 4 ? text.substring(4) : "");
        if (text.length() > 3 && text.charAt(3) == '-') {
            return;
        }
        RemoteReply reply = new RemoteReply(Integer.parseInt(text.substring(0, 3)), List.copyOf(lines));
        lines.clear();
        Expected next = expected.poll();
        if (next == null) {
            // A 421 before closing an idle connection, or a confused server: either way it is done.
            fail(new IOException("unexpected reply: " + reply.text()));
            return;
        }
        cancelTimer();
        armTimer();
        next.reply().complete(reply);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new IOException("connection closed by the server"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause));
    }

    private void armTimer() {
        Expected head = expected.peek();
        if (head != null && ctx != null && ctx.channel().isActive() && timer == null) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                fail(new ReplyTimeoutException(head.timeout()));
            }, head.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void fail(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
        cancelTimer();
        ctx.close();
        Expected next;
        while ((next = expected.poll()) != null) {
            next.reply().completeExceptionally(failure);
        }
    }
}

package mailserver.smtp.server;

import java.nio.charset.CharacterCodingException;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import mailserver.core.net.CommandLines;
import mailserver.core.net.Connection;
import mailserver.core.net.LineTooLong;
import mailserver.core.net.ServerEvent;
import mailserver.core.net.WorkerPool;
import mailserver.smtp.reply.Reply;
import mailserver.smtp.session.SmtpSession;
import mailserver.smtp.session.Step;
import mailserver.smtp.session.TlsInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link SmtpSession} over a connection. Every command goes to the worker pool with
 * input suspended, so the session is only ever used by one thread at a time and pipelined
 * commands run strictly in order; message data is fed on the event loop (buffered spool writes)
 * and only its end, which delivers, goes to the pool again.
 */
final class SmtpConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SmtpConnectionHandler.class);

    private final SmtpSession session;
    private final Connection connection;
    private final WorkerPool workers;
    /** How incoming frames are read: command lines, DATA lines, or BDAT bytes. */
    private Step.Next reading = Step.Next.COMMAND;
    /** A session call is running on a worker; input is suspended meanwhile. */
    private boolean busy;
    private boolean goodbyePending;

    SmtpConnectionHandler(SmtpSession session, Connection connection, WorkerPool workers) {
        this.session = session;
        this.connection = connection;
        this.workers = workers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log.info("connect from {} on {}", connection.remote(), connection.listener().name());
        // On an implicit-TLS port this waits in the SslHandler until the handshake is done.
        write(ctx, session.greeting());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LineTooLong) {
            apply(ctx, session.lineTooLong());
            return;
        }
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        if (reading == Step.Next.DATA || reading == Step.Next.CHUNK) {
            data(ctx, bytes);
        } else {
            String line;
            try {
                line = CommandLines.decode(bytes);
            } catch (CharacterCodingException e) {
                apply(ctx, session.undecodableLine());
                return;
            }
            runOnWorker(ctx, () -> session.line(line));
        }
    }

    private void data(ChannelHandlerContext ctx, byte[] bytes) {
        int used = session.data(bytes, 0, bytes.length);
        if (used != bytes.length) {
            // Framing hands over whole lines and exact chunks, and the end marker ends a line.
            throw new IllegalStateException("message data ended inside a frame");
        }
        if (session.dataComplete()) {
            reading = Step.Next.COMMAND;
            runOnWorker(ctx, session::endOfData);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                connection.tlsSession().ifPresent(s -> session.tlsStarted(new TlsInfo(s.getProtocol(), s.getCipherSuite())));
            } else {
                log.info("TLS handshake with {} failed: {}", connection.remote(), handshake.cause().toString());
                ctx.close();
            }
        } else if (event instanceof IdleStateEvent && !busy) {
            log.info("timeout after {} from {}", reading, connection.remote());
            writeAndClose(ctx, session.goodbye("Error: timeout exceeded"));
        } else if (event == ServerEvent.SHUTTING_DOWN) {
            if (busy) {
                goodbyePending = true;
            } else {
                writeAndClose(ctx, session.goodbye("Service shutting down"));
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        log.info("disconnect from {}", connection.remote());
        if (!busy) {
            session.close();
        }
        ctx.fireChannelInactive();
    }

    /** Runs a session call that may block on a worker, then applies its step on the event loop. */
    private void runOnWorker(ChannelHandlerContext ctx, Callable<Step> call) {
        busy = true;
        connection.suspendInput();
        workers.execute(ctx.channel(), call, (step, failure) -> {
            busy = false;
            if (!ctx.channel().isActive()) {
                session.close();
                return;
            }
            if (failure != null) {
                step = failed(failure);
            }
            if (goodbyePending) {
                writeAndClose(ctx, session.goodbye("Service shutting down"));
                return;
            }
            apply(ctx, step);
        });
    }

    /** A command that threw: the client hears a temporary error, the transaction is dropped. */
    private Step failed(Throwable failure) {
        session.close();
        reading = Step.Next.COMMAND;
        if (failure instanceof RejectedExecutionException) {
            log.warn("worker pool full, refusing a command: {}", failure.getMessage());
            return Step.then(Reply.of(421, "4.3.2", "Server busy, try again later"), Step.Next.CLOSE);
        }
        log.error("command failed", failure);
        return Step.reply(Reply.of(451, "4.3.0", "Local error in processing, try again later"));
    }

    /**
     * Carries out a step; a delayed one (a failed AUTH) on a timer, with input still suspended,
     * so a password guesser waits without holding a worker thread.
     */
    private void apply(ChannelHandlerContext ctx, Step step) {
        if (step.delay().isZero()) {
            applyNow(ctx, step);
            return;
        }
        busy = true;
        connection.suspendInput();
        ctx.executor().schedule(() -> {
            busy = false;
            if (!ctx.channel().isActive()) {
                session.close();
            } else if (goodbyePending) {
                writeAndClose(ctx, session.goodbye("Service shutting down"));
            } else {
                applyNow(ctx, step);
            }
        }, step.delay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void applyNow(ChannelHandlerContext ctx, Step step) {
        switch (step.next()) {
            case COMMAND, DATA -> {
                reading = step.next();
                write(ctx, step.reply());
                connection.resumeInput();
            }
            case CHUNK -> {
                reading = Step.Next.CHUNK;
                if (step.chunkBytes() == 0) {
                    reading = Step.Next.COMMAND;
                    runOnWorker(ctx, session::endOfData);
                } else {
                    connection.readRawBytes(step.chunkBytes());
                    connection.resumeInput();
                }
            }
            case START_TLS -> {
                reading = Step.Next.COMMAND;
                connection.startTls(Unpooled.wrappedBuffer(step.reply().toBytes()));
                connection.resumeInput();
            }
            case CLOSE -> writeAndClose(ctx, step.reply());
            default -> throw new IllegalStateException(step.next().name());
        }
    }

    private void write(ChannelHandlerContext ctx, Reply reply) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.toBytes()));
    }

    private void writeAndClose(ChannelHandlerContext ctx, Reply reply) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.toBytes())).addListener(ChannelFutureListener.CLOSE);
    }
}

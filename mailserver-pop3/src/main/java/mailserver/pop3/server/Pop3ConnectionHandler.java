package mailserver.pop3.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
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
import mailserver.pop3.session.Pop3Session;
import mailserver.pop3.session.Reply;
import mailserver.pop3.session.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Pop3Session} over a connection. Each line goes to the worker pool with input
 * suspended, and input resumes only once its reply (and message, for RETR and TOP) is written,
 * so pipelined commands (RFC 2449 PIPELINING) are answered strictly in order and the session is
 * used by one thread at a time. A failed login's reply is scheduled after its delay on the
 * event loop, which never sleeps.
 */
final class Pop3ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3ConnectionHandler.class);

    private final Pop3Session session;
    private final Connection connection;
    private final WorkerPool workers;
    /** A command is running (worker, delay or message transfer); input is suspended meanwhile. */
    private boolean busy;
    /** The session is in use on a worker; whoever gets it back closes it if the connection is gone. */
    private boolean onWorker;
    private boolean shutdownPending;
    private MessageTransfer transfer;

    Pop3ConnectionHandler(Pop3Session session, Connection connection, WorkerPool workers) {
        this.session = session;
        this.connection = connection;
        this.workers = workers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        LOG.info("connect from {} on {}", connection.remote(), connection.listener().name());
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
        String line;
        try {
            line = CommandLines.decode(ByteBufUtil.getBytes(frame));
        } catch (CharacterCodingException e) {
            apply(ctx, session.undecodableLine());
            return;
        } finally {
            frame.release();
        }
        busy = true;
        onWorker = true;
        connection.suspendInput();
        workers.execute(ctx.channel(), () -> session.line(line), (step, failure) -> {
            onWorker = false;
            if (!ctx.channel().isActive()) {
                session.close();
                if (step != null) {
                    step.body().ifPresent(body -> closeQuietly(body.content()));
                }
                return;
            }
            apply(ctx, failure == null ? step : failed(failure));
        });
    }

    /** A command that threw, or a full worker pool: the client hears a temporary error and is let go. */
    private Step failed(Throwable failure) {
        if (failure instanceof RejectedExecutionException) {
            LOG.warn("worker pool full, refusing a command: {}", failure.getMessage());
            return Step.close(Reply.err(Reply.Code.SYS_TEMP, "Server busy, try again later."));
        }
        LOG.error("command failed", failure);
        return Step.close(Reply.err(Reply.Code.SYS_TEMP, "Internal error, try again later."));
    }

    /** Carries out a step, after its delay if it has one. Event loop. */
    private void apply(ChannelHandlerContext ctx, Step step) {
        busy = true;
        connection.suspendInput();
        if (step.delay().isZero()) {
            applyNow(ctx, step);
        } else {
            ctx.executor().schedule(() -> applyNow(ctx, step), step.delay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void applyNow(ChannelHandlerContext ctx, Step step) {
        if (!ctx.channel().isActive()) {
            session.close();
            step.body().ifPresent(body -> closeQuietly(body.content()));
            return;
        }
        switch (step.next()) {
            case CLOSE -> writeAndClose(ctx, step.reply());
            case START_TLS -> {
                connection.startTls(Unpooled.wrappedBuffer(step.reply().toBytes()));
                commandDone(ctx);
            }
            case READ -> {
                write(ctx, step.reply());
                if (step.body().isPresent()) {
                    transfer = new MessageTransfer(ctx, workers, step.body().get(), () -> {
                        transfer = null;
                        commandDone(ctx);
                    });
                    transfer.start();
                } else {
                    commandDone(ctx);
                }
            }
            default -> throw new IllegalStateException(step.next().name());
        }
    }

    private void commandDone(ChannelHandlerContext ctx) {
        busy = false;
        if (shutdownPending) {
            writeAndClose(ctx, session.shuttingDown());
            return;
        }
        connection.resumeInput();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (transfer != null) {
            transfer.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                session.tlsStarted();
            } else {
                LOG.info("TLS handshake with {} failed: {}", connection.remote(), handshake.cause().toString());
                ctx.close();
            }
        } else if (event instanceof IdleStateEvent) {
            if (transfer != null && transfer.stalled()) {
                LOG.info("closing: {} stopped reading a message", connection.remote());
                ctx.close();
            } else if (!busy) {
                LOG.info("closing: {} was idle", connection.remote());
                writeAndClose(ctx, session.idle());
            }
        } else if (event == ServerEvent.SHUTTING_DOWN) {
            if (busy) {
                shutdownPending = true;
            } else {
                writeAndClose(ctx, session.shuttingDown());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        LOG.info("disconnect from {}", connection.remote());
        if (transfer != null) {
            transfer.abort();
        }
        if (!onWorker) {
            session.close();
        }
        ctx.fireChannelInactive();
    }

    private static void write(ChannelHandlerContext ctx, Reply reply) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.toBytes()));
    }

    private void writeAndClose(ChannelHandlerContext ctx, Reply reply) {
        busy = true; // nothing more is read
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.toBytes())).addListener(ChannelFutureListener.CLOSE);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.debug("closing a message file failed: {}", e.toString());
        }
    }
}

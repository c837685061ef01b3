package mailserver.imap.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import mailserver.core.net.Connection;
import mailserver.core.net.LineTooLong;
import mailserver.core.net.ServerEvent;
import mailserver.core.net.WorkerPool;
import mailserver.imap.parse.Command;
import mailserver.imap.parse.CommandAssembler;
import mailserver.imap.parse.CommandParser;
import mailserver.imap.parse.ImapParseException;
import mailserver.imap.parse.RawCommand;
import mailserver.imap.response.ResponseWriter;
import mailserver.imap.session.ImapSession;
import mailserver.imap.session.ImapSession.Next;
import mailserver.imap.session.ImapSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link ImapSession} over a connection. Lines and literal bytes are assembled into
 * commands and parsed on the event loop (no I/O beyond spooling large literals); each command
 * then runs on the worker pool with input suspended, so commands run strictly in order and the
 * session is used by one thread at a time. While the client IDLEs, changes to its folder (and
 * a periodic look for changes by other processes) run an update on the pool.
 */
final class ImapConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ImapConnectionHandler.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(5);

    private final ImapSettings settings;
    private final ImapSession.Services services;
    private final CommandParser parser;
    private final Connection connection;
    private final WorkerPool workers;
    private final CommandAssembler assembler;
    private ImapSession session;
    private Next reading = Next.COMMAND;
    private boolean busy;
    private boolean updatePending;
    private boolean goodbyePending;
    private ScheduledFuture<?> idlePoll;

    ImapConnectionHandler(ImapSettings settings, ImapSession.Services services, CommandParser parser, Path spoolDir,
                          Connection connection, WorkerPool workers) {
        this.settings = settings;
        this.services = services;
        this.parser = parser;
        this.connection = connection;
        this.workers = workers;
        this.assembler = new CommandAssembler(settings.limits(), spoolDir);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        log.info("connect from {} on {}", connection.remote(), connection.listener().name());
        ResponseWriter out = new ResponseWriter(new ChannelOutput(ctx.channel(), WRITE_TIMEOUT));
        session = new ImapSession(settings, services, connection.remote().getAddress(), connection.isTls(), out);
        session.onChange(() -> ctx.executor().execute(() -> idleUpdate(ctx)));
        session.greeting();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof LineTooLong) {
            assembler.reset();
            apply(ctx, session.bad(new ImapParseException(null, "TOOBIG", "Line too long")));
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
        if (assembler.inLiteral()) {
            progress(ctx, assembler.literal(bytes, 0, bytes.length));
            return;
        }
        switch (reading) {
            case SASL -> {
                String line = text(bytes);
                runOnWorker(ctx, () -> session.saslLine(line));
            }
            case IDLE -> {
                stopIdlePoll();
                String line = text(bytes);
                runOnWorker(ctx, () -> session.idleLine(line));
            }
            default -> progress(ctx, assembler.line(bytes));
        }
    }

    private void progress(ChannelHandlerContext ctx, CommandAssembler.Progress progress) throws Exception {
        if (progress instanceof CommandAssembler.Complete complete) {
            RawCommand raw = complete.command();
            Command command;
            try {
                command = parser.parse(raw, session.utf8());
            } catch (ImapParseException e) {
                raw.close();
                apply(ctx, session.bad(e));
                return;
            }
            runOnWorker(ctx, () -> {
                try (raw) {
                    return session.execute(command);
                }
            });
        } else if (progress instanceof CommandAssembler.NeedLiteral need) {
            if (need.synchronizing()) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("+ Ready for literal data\r\n", StandardCharsets.US_ASCII));
            }
            connection.readRawBytes(need.size());
        } else if (progress instanceof CommandAssembler.Rejected rejected) {
            Next next = session.bad(rejected.error());
            apply(ctx, rejected.fatal() ? Next.CLOSE : next);
        }
    }

    private void runOnWorker(ChannelHandlerContext ctx, Callable<Next> call) {
        busy = true;
        connection.suspendInput();
        workers.execute(ctx.channel(), call, (next, failure) -> {
            busy = false;
            if (!ctx.channel().isActive()) {
                session.close();
                return;
            }
            if (failure != null) {
                next = failed(ctx, failure);
            }
            if (goodbyePending) {
                goodbye(ctx, "Server shutting down");
                return;
            }
            Duration delay = session.takeReplyDelay();
            if (delay.isZero()) {
                proceed(ctx, next);
            } else {
                // A failed login: answer later, without holding a worker, and read nothing meanwhile.
                Next after = next;
                busy = true;
                ctx.executor().schedule(() -> {
                    busy = false;
                    try {
                        session.flush();
                    } catch (java.io.IOException e) {
                        ctx.close();
                        return;
                    }
                    proceed(ctx, after);
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private void proceed(ChannelHandlerContext ctx, Next next) {
        apply(ctx, next);
        connection.resumeInput();
        if (updatePending && reading == Next.IDLE) {
            idleUpdate(ctx);
        }
    }

    private Next failed(ChannelHandlerContext ctx, Throwable failure) {
        if (failure instanceof RejectedExecutionException) {
            log.warn("worker pool full, closing: {}", failure.getMessage());
            ctx.writeAndFlush(Unpooled.copiedBuffer("* BYE [UNAVAILABLE] Server busy, try again later\r\n",
                    StandardCharsets.US_ASCII));
            return Next.CLOSE;
        }
        log.error("IMAP session failed", failure);
        ctx.writeAndFlush(Unpooled.copiedBuffer("* BYE [SERVERBUG] Internal error\r\n", StandardCharsets.US_ASCII));
        return Next.CLOSE;
    }

    private void apply(ChannelHandlerContext ctx, Next next) {
        reading = next;
        switch (next) {
            case START_TLS -> {
                reading = Next.COMMAND;
                assembler.reset();
                connection.startTls(Unpooled.copiedBuffer(session.startTlsReply(), StandardCharsets.US_ASCII));
            }
            case IDLE -> startIdlePoll(ctx);
            case COMPRESS -> {
                reading = Next.COMMAND;
                Compression.start(ctx.pipeline(), ImapProtocol.HANDLER_NAME_IDLE);
            }
            case CLOSE -> ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            default -> {
            }
        }
    }

    /** A change to the folder, or the periodic look: tell an IDLEing client now, or after the running task. */
    private void idleUpdate(ChannelHandlerContext ctx) {
        if (reading != Next.IDLE || !ctx.channel().isActive()) {
            return;
        }
        if (busy) {
            updatePending = true;
            return;
        }
        updatePending = false;
        runOnWorker(ctx, session::idleUpdate);
    }

    /**
     * Every session on a folder shares what a look at the disk finds, so a session polls only
     * when nobody looked within half its interval: with many idle sessions on a folder the disk
     * is looked at about once per interval, and an idle session costs no I/O or garbage.
     */
    private void startIdlePoll(ChannelHandlerContext ctx) {
        long every = settings.idlePollInterval().toMillis();
        if (idlePoll == null && every > 0) {
            long recent = TimeUnit.MILLISECONDS.toNanos(every) / 2;
            idlePoll = ctx.executor().scheduleAtFixedRate(() -> {
                if (session.idlePollDue(recent)) {
                    idleUpdate(ctx);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void stopIdlePoll() {
        if (idlePoll != null) {
            idlePoll.cancel(false);
            idlePoll = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                session.tlsStarted();
            } else {
                log.info("TLS handshake with {} failed: {}", connection.remote(), handshake.cause().toString());
                ctx.close();
            }
        } else if (event instanceof IdleStateEvent && !busy) {
            log.info("autologout after {} idle, {}", settings.idleTimeout(), connection.remote());
            goodbye(ctx, "Autologout; idle for too long");
        } else if (event == ServerEvent.SHUTTING_DOWN) {
            if (busy) {
                goodbyePending = true;
            } else {
                goodbye(ctx, "Server shutting down");
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    private void goodbye(ChannelHandlerContext ctx, String text) {
        ctx.writeAndFlush(Unpooled.copiedBuffer("* BYE " + text + "\r\n", StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        log.info("disconnect from {}", connection.remote());
        stopIdlePoll();
        assembler.reset();
        if (!busy && session != null) {
            session.close();
        }
        ctx.fireChannelInactive();
    }

    /** A SASL response or DONE: the line without its ending. */
    private static String text(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}

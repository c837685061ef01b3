package mailserver.core.net;

import java.net.InetSocketAddress;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import mailserver.core.config.ListenerConfig;
import mailserver.core.tls.TlsContextProvider;

/**
 * One client connection as a protocol sees it: who it is, which listener took it, whether it is
 * encrypted, and the few things a protocol may ask of the common pipeline. Methods that change
 * the pipeline must be called on the channel's event loop.
 */
public final class Connection {

    /** The SLF4J MDC key holding the session id while a connection's events are handled. */
    public static final String MDC_KEY = "session";

    static final String SESSION_HANDLER = "session";
    static final String TLS_HANDLER = "tls";

    private final Channel channel;
    private final ListenerConfig listener;
    private final String sessionId;
    private final TlsContextProvider tls;
    private final LineDecoder framing;

    Connection(Channel channel, ListenerConfig listener, String sessionId, TlsContextProvider tls, LineDecoder framing) {
        this.channel = channel;
        this.listener = listener;
        this.sessionId = sessionId;
        this.tls = tls;
        this.framing = framing;
    }

    public String sessionId() {
        return sessionId;
    }

    public InetSocketAddress remote() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    public ListenerConfig listener() {
        return listener;
    }

    public Channel channel() {
        return channel;
    }

    /** True once TLS is in the pipeline: from the start on implicit-TLS listeners, after {@link #startTls} otherwise. */
    public boolean isTls() {
        return channel.pipeline().get(SslHandler.class) != null;
    }

    /** The negotiated session (protocol, cipher suite) once the handshake succeeded. */
    public Optional<SSLSession> tlsSession() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
            return Optional.empty();
        }
        return Optional.of(ssl.engine().getSession());
    }

    /**
     * Upgrades to TLS after a STARTTLS/STLS command: forgets every byte the client sent after
     * the command (CVE-2011-0411 command injection), adds TLS in front of the framing, and
     * writes {@code reply} (e.g. {@code "220 2.0.0 Ready to start TLS"} in the protocol's own
     * reply type, as it would write any reply) as the last cleartext. Call it from the handler
     * that read the command. The protocol resets its session state when the returned future
     * (or the {@code SslHandshakeCompletionEvent}) reports success.
     */
    public Future<Channel> startTls(Object reply) {
        requireEventLoop();
        if (isTls()) {
            throw new IllegalStateException("TLS is already active on this connection");
        }
        framing.discardBuffered();
        // startTls=true: the reply below still goes out in cleartext, everything after is encrypted.
        SslHandler ssl = new SslHandler(tls.current().newEngine(channel.alloc()), true);
        channel.pipeline().addAfter(SESSION_HANDLER, TLS_HANDLER, ssl);
        channel.writeAndFlush(reply);
        return ssl.handshakeFuture();
    }

    /**
     * Holds back further lines (and stops reading the socket) until {@link #resumeInput()}, so a
     * command handed to the {@link WorkerPool} finishes before the next one is read, even when
     * the client pipelines.
     */
    public void suspendInput() {
        requireEventLoop();
        framing.suspend();
    }

    /** Passes on held-back lines and reads again; may be called from any thread. */
    public void resumeInput() {
        channel.eventLoop().execute(() -> SessionMdcHandler.inSession(sessionId, framing::resume));
    }

    /**
     * The next {@code count} bytes arrive as raw {@link io.netty.buffer.ByteBuf} chunks instead
     * of lines (SMTP BDAT, IMAP literals); line framing resumes after them. Call it from the
     * handler that read the line announcing them, or while input is suspended.
     */
    public void readRawBytes(long count) {
        requireEventLoop();
        framing.readRaw(count);
    }

    private void requireEventLoop() {
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("must be called on the connection's event loop");
        }
    }
}

package mailserver.core.net;

import io.netty.channel.Channel;

/**
 * What a protocol (SMTP, IMAP, POP3) plugs into a listener. For every accepted connection the
 * listener builds the common pipeline (TLS for implicit-TLS ports, session id, connection
 * limits, line framing) and then calls {@link #initChannel}; the protocol adds its handlers at
 * the end. They receive, in order:
 * <ul>
 *   <li>{@code channelActive}: send the greeting (never called for a connection over a limit);</li>
 *   <li>{@code channelRead} with a {@link io.netty.buffer.ByteBuf} per line, its line ending
 *       included exactly as received ({@code CRLF}, or a bare {@code LF} the protocol may
 *       reject), or the raw chunks asked for with {@link Connection#readRawBytes}; the handler
 *       that consumes a buffer releases it;</li>
 *   <li>{@code channelRead} with {@link LineTooLong} in place of a line over the limit;</li>
 *   <li>{@code userEventTriggered} with {@link ServerEvent#SHUTTING_DOWN}: say goodbye
 *       ({@code 421}, {@code * BYE}, {@code -ERR}) and close; connections still open after
 *       the grace period are closed anyway;</li>
 *   <li>{@code userEventTriggered} with Netty's {@code SslHandshakeCompletionEvent} after
 *       {@link Connection#startTls}.</li>
 * </ul>
 * Exceptions nobody handles end in a last handler named {@link #LAST_HANDLER} that logs them
 * in one line and closes the connection; handlers added later belong before it.
 */
public interface ProtocolHandler {

    String LAST_HANDLER = "uncaught-errors";

    /** Adds the protocol's handlers with {@code channel.pipeline().addLast(...)}. Runs on the channel's event loop. */
    void initChannel(Channel channel, Connection connection);

    /**
     * The one line (without CRLF) sent to a client refused because {@code exceeded} is reached,
     * e.g. {@code "421 4.7.0 mail.example.com Too many connections, try later"}; the connection
     * is closed after it.
     */
    String refusalLine(Connection connection, ConnectionLimit exceeded);
}

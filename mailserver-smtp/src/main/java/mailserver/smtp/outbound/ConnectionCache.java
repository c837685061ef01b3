package mailserver.smtp.outbound;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle connections kept after a delivery (reset with RSET) so the next message to the same
 * server skips connect, greeting, EHLO, STARTTLS and AUTH, as Postfix's scache does. Each
 * waits at most the cache time, then gets QUIT.
 */
final class ConnectionCache {

    private final Duration idleTime;
    private final Duration quitTimeout;
    private final Map<String, Deque<ClientConnection>> idle = new HashMap<>();
    private boolean closed;

    ConnectionCache(Duration idleTime, Duration quitTimeout) {
        this.idleTime = idleTime;
        this.quitTimeout = quitTimeout;
    }

    /** Keeps {@code connection} for the next message to its hop, or says goodbye when caching is off. */
    void put(ClientConnection connection) {
        String key = connection.hop().cacheKey();
        synchronized (this) {
            if (!closed && !idleTime.isZero() && connection.isOpen()) {
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).add(connection);
                connection.channel().closeFuture().addListener(f -> remove(key, connection));
                connection.channel().eventLoop().schedule(() -> {
                    if (remove(key, connection)) {
                        connection.quit(quitTimeout);
                    }
                }, idleTime.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        }
        connection.quit(quitTimeout);
    }

    /** An open idle connection to {@code hop}, now no longer idle, or null. */
    synchronized ClientConnection take(Hop hop) {
        Deque<ClientConnection> connections = idle.get(hop.cacheKey());
        while (connections != null && !connections.isEmpty()) {
            ClientConnection connection = connections.pollLast();
            if (connection.isOpen()) {
                return connection;
            }
        }
        return null;
    }

    /** QUIT to every idle connection; later {@link #put}s quit at once. */
    void close() {
        List<ClientConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        all.forEach(connection -> connection.quit(quitTimeout));
    }

    private synchronized boolean remove(String key, ClientConnection connection) {
        Deque<ClientConnection> connections = idle.get(key);
        if (connections == null || !connections.remove(connection)) {
            return false;
        }
        if (connections.isEmpty()) {
            idle.remove(key);
        }
        return true;
    }
}

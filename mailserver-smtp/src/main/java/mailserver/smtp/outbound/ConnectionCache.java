package mailserver.smtp.outbound;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Idle connections kept after a delivery (reset with RSET) so the next message to the same
 * server skips connect, greeting, EHLO, STARTTLS and AUTH, as Postfix's scache does. Each
 * waits at most the cache time, then gets QUIT; one the server closes leaves the cache.
 */
final class ConnectionCache {

    /** One stay in the cache; a connection taken and put back is a new stay with its own timer. */
    private static final class Idle {
        final ClientConnection connection;
        ScheduledFuture<?> expiry;

        Idle(ClientConnection connection) {
            this.connection = connection;
        }
    }

    private final Duration idleTime;
    private final Duration quitTimeout;
    private final Map<String, Deque<Idle>> idle = new HashMap<>();
    private boolean closed;

    ConnectionCache(Duration idleTime, Duration quitTimeout) {
        this.idleTime = idleTime;
        this.quitTimeout = quitTimeout;
    }

    /** Keeps {@code connection} for the next message to its hop, or says goodbye when caching is off. */
    void put(ClientConnection connection) {
        String key = connection.hop().cacheKey();
        Idle stay = new Idle(connection);
        synchronized (this) {
            if (!closed && !idleTime.isZero() && connection.isOpen()) {
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).add(stay);
                stay.expiry = connection.channel().eventLoop().schedule(() -> {
                    if (remove(key, stay)) {
                        connection.quit(quitTimeout);
                    }
                }, idleTime.toNanos(), TimeUnit.NANOSECONDS);
                connection.channel().closeFuture().addListener(f -> remove(key, stay));
                return;
            }
        }
        connection.quit(quitTimeout);
    }

    /** An open idle connection to {@code hop}, now no longer idle, or null. */
    synchronized ClientConnection take(Hop hop) {
        Deque<Idle> stays = idle.get(hop.cacheKey());
        while (stays != null && !stays.isEmpty()) {
            Idle stay = stays.pollLast();
            stay.expiry.cancel(false);
            if (stay.connection.isOpen()) {
                return stay.connection;
            }
        }
        return null;
    }

    /** QUIT to every idle connection, completed when all are closed; later {@link #put}s quit at once. */
    CompletableFuture<Void> close() {
        List<Idle> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        List<CompletableFuture<Void>> quits = new ArrayList<>();
        for (Idle stay : all) {
            stay.expiry.cancel(false);
            quits.add(stay.connection.quit(quitTimeout));
        }
        return CompletableFuture.allOf(quits.toArray(CompletableFuture[]::new));
    }

    private synchronized boolean remove(String key, Idle stay) {
        Deque<Idle> stays = idle.get(key);
        if (stays == null || !stays.remove(stay)) {
            return false;
        }
        if (stays.isEmpty()) {
            idle.remove(key);
        }
        return true;
    }
}

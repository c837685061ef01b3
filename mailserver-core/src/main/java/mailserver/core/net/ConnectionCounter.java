package mailserver.core.net;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open connections of one listener, in total and per remote address; shared by its event loops. */
final class ConnectionCounter {

    private final ListenerLimits limits;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    ConnectionCounter(ListenerLimits limits) {
        this.limits = limits;
    }

    /** Counts a new connection from {@code address}, or returns the limit it would exceed (and counts nothing). */
    Optional<ConnectionLimit> tryAcquire(InetAddress address) {
        if (total.incrementAndGet() > limits.maxConnections()) {
            total.decrementAndGet();
            return Optional.of(ConnectionLimit.LISTENER_TOTAL);
        }
        boolean[] full = {false};
        perAddress.compute(address, (key, open) -> {
            int count = open == null ? 0 : open;
            if (count >= limits.maxConnectionsPerIp()) {
                full[0] = true;
                return open;
            }
            return count + 1;
        });
        if (full[0]) {
            total.decrementAndGet();
            return Optional.of(ConnectionLimit.PER_IP);
        }
        return Optional.empty();
    }

    void release(InetAddress address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (key, open) -> open == 1 ? null : open - 1);
    }

    int limitOf(ConnectionLimit limit) {
        return limit == ConnectionLimit.PER_IP ? limits.maxConnectionsPerIp() : limits.maxConnections();
    }
}

package mailserver.core.net;

/**
 * Hard limits of one listener.
 *
 * @param maxConnections      open connections to this listener at once
 * @param maxConnectionsPerIp open connections to this listener from one remote address
 * @param maxLineLength       bytes of one line, line ending included (RFC 5321: 512 for SMTP commands)
 */
public record ListenerLimits(int maxConnections, int maxConnectionsPerIp, int maxLineLength) {

    public ListenerLimits {
        requirePositive("maxConnections", maxConnections);
        requirePositive("maxConnectionsPerIp", maxConnectionsPerIp);
        requirePositive("maxLineLength", maxLineLength);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}

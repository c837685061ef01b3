package mailserver.core.config;

/**
 * {@code limits:} connection limits applied to each listener.
 *
 * @param maxConnections      open connections to one listener at once
 * @param maxConnectionsPerIp open connections to one listener from one client address
 */
public record LimitsConfig(int maxConnections, int maxConnectionsPerIp) {
}

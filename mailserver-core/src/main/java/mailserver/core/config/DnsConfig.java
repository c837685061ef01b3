package mailserver.core.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the server asks DNS (MX, A/AAAA, TXT for SPF/DKIM/DMARC, PTR).
 *
 * @param servers the name servers to ask, in order; empty means the system's, from /etc/resolv.conf
 * @param timeout how long one query waits for an answer
 * @param retries how many more times a query is sent when it timed out
 * @param cache   whether answers are cached for their TTL (negative answers too)
 */
public record DnsConfig(List<InetSocketAddress> servers, Duration timeout, int retries, boolean cache) {

    public DnsConfig {
        servers = List.copyOf(servers);
    }
}

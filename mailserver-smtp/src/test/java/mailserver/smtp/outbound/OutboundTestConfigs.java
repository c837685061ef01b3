package mailserver.smtp.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import mailserver.core.config.DnsConfig;
import mailserver.core.config.OutboundConfig;
import mailserver.core.config.OutboundConfig.TlsPolicy;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;

/** Outbound settings for tests: short timeouts, a resolver that asks only the test DNS server. */
final class OutboundTestConfigs {

    static final Duration SHORT = Duration.ofSeconds(5);
    static final OutboundConfig.Timeouts TIMEOUTS = new OutboundConfig.Timeouts(SHORT, SHORT, SHORT, SHORT, SHORT, SHORT);

    private OutboundTestConfigs() {
    }

    static OutboundConfig config(int port, TlsPolicy tls) {
        return new OutboundConfig("client.example.test", port, tls, null, Map.of(), Duration.ofSeconds(5), TIMEOUTS);
    }

    /** Uncached, so a test may change records between lookups. */
    static DnsResolver resolver(TestDnsServer dns) {
        return new DnsResolver(new DnsConfig(List.of(dns.address()), Duration.ofMillis(300), 0, false));
    }
}

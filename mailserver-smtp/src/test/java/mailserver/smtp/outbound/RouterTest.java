package mailserver.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mailserver.core.config.OutboundConfig;
import mailserver.core.config.OutboundConfig.NextHop;
import mailserver.core.config.OutboundConfig.TlsPolicy;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;
import mailserver.smtp.outbound.RecipientOutcome.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** Routing through the loopback DNS server: MX order, implicit and null MX, DNS failures, relayhost, transports. */
class RouterTest {

    static TestDnsServer dns;
    static DnsResolver resolver;
    final Router router = new Router(OutboundTestConfigs.config(25, TlsPolicy.MAY), resolver);

    @BeforeAll
    static void startDns() throws Exception {
        dns = TestDnsServer.start();
        resolver = OutboundTestConfigs.resolver(dns);
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @BeforeEach
    void emptyZone() {
        dns.clear();
    }

    @Test
    void mxHostsInPreferenceOrderEachWithItsAddresses() {
        dns.add("example.test", Type.MX, "20 backup.example.test.");
        dns.add("example.test", Type.MX, "10 mx.example.test.");
        dns.add("mx.example.test", Type.A, "127.0.0.2");
        dns.add("mx.example.test", Type.AAAA, "::1");
        dns.add("backup.example.test", Type.A, "127.0.0.3");

        Route route = router.route("Example.TEST");

        assertThat(route.failure()).isNull();
        assertThat(route.hops()).extracting(Hop::relay)
                .containsExactly("mx.example.test[127.0.0.2]:25", "mx.example.test[0:0:0:0:0:0:0:1]:25",
                        "backup.example.test[127.0.0.3]:25");
        assertThat(route.hops()).allSatisfy(hop -> {
            assertThat(hop.tls()).isEqualTo(TlsPolicy.MAY);
            assertThat(hop.login()).isNull();
        });
    }

    @Test
    void equalPreferencesComeInEitherOrder() {
        dns.add("example.test", Type.MX, "10 a.example.test.");
        dns.add("example.test", Type.MX, "10 b.example.test.");
        dns.add("a.example.test", Type.A, "127.0.0.2");
        dns.add("b.example.test", Type.A, "127.0.0.3");

        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 40 && firsts.size() < 2; i++) {
            firsts.add(router.route("example.test").hops().get(0).host());
        }

        assertThat(firsts).containsExactlyInAnyOrder("a.example.test", "b.example.test");
    }

    @Test
    void noMxMeansTheDomainItself() {
        dns.add("example.test", Type.A, "127.0.0.5");

        assertThat(router.route("example.test").hops()).extracting(Hop::relay)
                .containsExactly("example.test[127.0.0.5]:25");
    }

    @Test
    void nullMxBounces() {
        dns.add("example.test", Type.MX, "0 .");
        dns.add("example.test", Type.A, "127.0.0.5");

        assertThat(router.route("example.test").failure()).isEqualTo(new Route.Failure(Status.BOUNCED, "5.1.10",
                "Domain example.test does not accept mail (nullMX)"));
    }

    @Test
    void aDomainThatDoesNotExistBounces() {
        assertThat(router.route("nowhere.test").failure()).isEqualTo(new Route.Failure(Status.BOUNCED, "5.1.2",
                "Host or domain name not found. Name service error for name=nowhere.test type=MX: Host not found"));
    }

    @Test
    void mxHostsWithoutAddressesBounce() {
        dns.add("example.test", Type.MX, "10 gone.example.test.");

        Route.Failure failure = router.route("example.test").failure();

        assertThat(failure.status()).isEqualTo(Status.BOUNCED);
        assertThat(failure.dsnCode()).isEqualTo("5.4.4");
        assertThat(failure.diagnostic()).contains("name=gone.example.test type=A: Host not found");
    }

    @Test
    void dnsFailuresDefer() {
        dns.servfail("broken.test");
        dns.timeout("slow.test");
        dns.add("half.test", Type.MX, "10 mx.broken.test.");
        dns.servfail("mx.broken.test");

        for (String domain : List.of("broken.test", "slow.test", "half.test")) {
            Route.Failure failure = router.route(domain).failure();
            assertThat(failure).as(domain).isNotNull();
            assertThat(failure.status()).as(domain).isEqualTo(Status.DEFERRED);
            assertThat(failure.dsnCode()).as(domain).isEqualTo("4.4.3");
            assertThat(failure.diagnostic()).as(domain).contains("Host not found, try again");
        }
    }

    @Test
    void aFailingMxHostIsSkippedWhenAnotherWorks() {
        dns.add("example.test", Type.MX, "10 mx.broken.test.");
        dns.add("example.test", Type.MX, "20 mx.example.test.");
        dns.servfail("mx.broken.test");
        dns.add("mx.example.test", Type.A, "127.0.0.3");

        assertThat(router.route("example.test").hops()).extracting(Hop::relay)
                .containsExactly("mx.example.test[127.0.0.3]:25");
    }

    @Test
    void relayhostTakesEverythingWithItsOwnTlsAndLogin() {
        dns.add("smtp.provider.test", Type.A, "127.0.0.7");
        dns.add("example.test", Type.MX, "10 mx.example.test.");
        int before = dns.queries().size();
        OutboundConfig config = new OutboundConfig("client.example.test", 25, TlsPolicy.MAY,
                new OutboundConfig.Relayhost(new NextHop("smtp.provider.test", false, 587), TlsPolicy.ENCRYPT,
                        "user", "secret", false),
                Map.of(), OutboundTestConfigs.SHORT, OutboundTestConfigs.TIMEOUTS);

        Route route = new Router(config, resolver).route("example.test");

        assertThat(route.hops()).containsExactly(new Hop("smtp.provider.test", address("127.0.0.7"), 587,
                TlsPolicy.ENCRYPT, new Hop.Login("user", "secret", false)));
        assertThat(queriesSince(before)).noneMatch(q -> q.name().equals("example.test"));
    }

    @Test
    void relayhostWithoutBracketsIsLookedUpAsMx() {
        dns.add("provider.test", Type.MX, "10 in.provider.test.");
        dns.add("in.provider.test", Type.A, "127.0.0.8");
        OutboundConfig config = new OutboundConfig("client.example.test", 25, TlsPolicy.MAY,
                new OutboundConfig.Relayhost(new NextHop("provider.test", true, 25), TlsPolicy.MAY, "", "", false),
                Map.of(), OutboundTestConfigs.SHORT, OutboundTestConfigs.TIMEOUTS);

        Route route = new Router(config, resolver).route("example.test");

        assertThat(route.hops()).extracting(Hop::relay).containsExactly("in.provider.test[127.0.0.8]:25");
        assertThat(route.hops().get(0).login()).isNull();
    }

    @Test
    void aMissingRelayhostDefersInsteadOfBouncing() {
        OutboundConfig config = new OutboundConfig("client.example.test", 25, TlsPolicy.MAY,
                new OutboundConfig.Relayhost(new NextHop("typo.test", false, 25), TlsPolicy.MAY, "", "", false),
                Map.of(), OutboundTestConfigs.SHORT, OutboundTestConfigs.TIMEOUTS);

        Route.Failure failure = new Router(config, resolver).route("example.test").failure();

        assertThat(failure.status()).isEqualTo(Status.DEFERRED);
        assertThat(failure.diagnostic()).endsWith("(the next hop in outbound.relayhost)");
    }

    @Test
    void aTransportOverridesRelayhostAndMxWithoutAnyDnsForAnAddress() {
        OutboundConfig config = new OutboundConfig("client.example.test", 25, TlsPolicy.MAY,
                new OutboundConfig.Relayhost(new NextHop("smtp.provider.test", false, 587), TlsPolicy.ENCRYPT,
                        "user", "secret", false),
                Map.of("lab.test", new NextHop("10.0.0.5", false, 2525)), OutboundTestConfigs.SHORT,
                OutboundTestConfigs.TIMEOUTS);
        int before = dns.queries().size();

        Route route = new Router(config, resolver).route("LAB.test");

        assertThat(route.hops()).containsExactly(new Hop("10.0.0.5", address("10.0.0.5"), 2525, TlsPolicy.MAY, null));
        assertThat(queriesSince(before)).isEmpty();
    }

    @Test
    void anAddressLiteralDomainGoesToThatAddress() {
        assertThat(router.route("[127.0.0.9]").hops()).extracting(Hop::relay).containsExactly("127.0.0.9[127.0.0.9]:25");
        assertThat(router.route("[IPv6:::1]").hops()).extracting(Hop::relay)
                .containsExactly("0:0:0:0:0:0:0:1[0:0:0:0:0:0:0:1]:25");
    }

    private static List<TestDnsServer.Query> queriesSince(int before) {
        List<TestDnsServer.Query> all = dns.queries();
        return all.subList(before, all.size());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

package mailserver.smtp.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mailserver.core.config.DnsConfig;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;
import mailserver.smtp.spf.SpfResult.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** Focused cases over the loopback DNS server; the RFC 7208 suite covers the rest. */
class SpfVerifierTest {

    private TestDnsServer dns;
    private SpfVerifier spf;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        spf = new SpfVerifier(new DnsResolver(new DnsConfig(List.of(dns.address()), Duration.ofMillis(250), 0, true)));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void theMailFromIdentityPasses() throws Exception {
        dns.addTxt("example.test", "v=spf1 ip4:192.0.2.0/24 -all");

        SpfResult result = spf.check(InetAddress.getByName("192.0.2.7"), "client.example.net", "alice@example.test");

        assertThat(result).isEqualTo(new SpfResult(Result.PASS, "mailfrom", "example.test", "alice@example.test", null, null));
    }

    @Test
    void theNullSenderChecksTheHeloNameAsPostmaster() throws Exception {
        dns.addTxt("client.example.net", "v=spf1 a -all");
        dns.add("client.example.net", Type.A, "192.0.2.7");

        SpfResult result = spf.check(InetAddress.getByName("192.0.2.7"), "client.example.net", "");

        assertThat(result).isEqualTo(new SpfResult(Result.PASS, "helo", "client.example.net", "postmaster@client.example.net", null, null));
    }

    @Test
    void anInternationalizedDomainIsLookedUpAsALabels() throws Exception {
        dns.addTxt("xn--bcher-kva.example", "v=spf1 ip4:192.0.2.7 -all");

        SpfResult result = spf.check(InetAddress.getByName("192.0.2.7"), "h.example.net", "jörg@bücher.example");

        assertThat(result).isEqualTo(new SpfResult(Result.PASS, "mailfrom", "bücher.example", "jörg@bücher.example", null, null));
    }

    @Test
    void aFailCarriesTheDomainsExplanation() throws Exception {
        dns.addTxt("example.test", "v=spf1 mx -all exp=why.example.test");
        dns.addTxt("why.example.test", "%{i} is not a mail server of %{d}");

        SpfResult result = spf.check(InetAddress.getByName("198.51.100.9"), "client.example.net", "bob@example.test");

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.explanation()).isEqualTo("198.51.100.9 is not a mail server of example.test");
    }

    @Test
    void aFailWithoutExpHasNoExplanation() throws Exception {
        dns.addTxt("example.test", "v=spf1 -all");

        SpfResult result = spf.check(InetAddress.getByName("198.51.100.9"), "client.example.net", "bob@example.test");

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.explanation()).isNull();
    }

    @Test
    void includeAndRedirectAreFollowed() throws Exception {
        dns.addTxt("example.test", "v=spf1 include:_spf.provider.test redirect=_spf.example.test");
        dns.addTxt("_spf.provider.test", "v=spf1 ip4:203.0.113.0/24 -all");
        dns.addTxt("_spf.example.test", "v=spf1 mx:example.test/28 ~all");
        dns.add("example.test", Type.MX, "10 mx.example.test.");
        dns.add("mx.example.test", Type.A, "192.0.2.17");

        InetAddress provider = InetAddress.getByName("203.0.113.5");
        InetAddress mxNeighbour = InetAddress.getByName("192.0.2.30");
        InetAddress stranger = InetAddress.getByName("198.51.100.1");
        assertThat(spf.check(provider, "h.example.net", "a@example.test").result()).isEqualTo(Result.PASS);
        assertThat(spf.check(mxNeighbour, "h.example.net", "a@example.test").result()).isEqualTo(Result.PASS);
        assertThat(spf.check(stranger, "h.example.net", "a@example.test").result()).isEqualTo(Result.SOFTFAIL);
    }

    @Test
    void ipv6ClientsMatchIp6AndAaaaWithTheirCidr() throws Exception {
        dns.addTxt("example.test", "v=spf1 ip6:2001:db8:1::/48 a:v6.example.test//64 -all");
        dns.add("v6.example.test", Type.AAAA, "2001:db8:2::1");

        assertThat(spf.check(InetAddress.getByName("2001:db8:1:5::9"), "h.example.net", "a@example.test").result())
                .isEqualTo(Result.PASS);
        assertThat(spf.check(InetAddress.getByName("2001:db8:2::ffff"), "h.example.net", "a@example.test").result())
                .isEqualTo(Result.PASS);
        assertThat(spf.check(InetAddress.getByName("2001:db8:3::1"), "h.example.net", "a@example.test").result())
                .isEqualTo(Result.FAIL);
    }

    @Test
    void aDnsTimeoutIsTemperrorWithTheReason() throws Exception {
        dns.timeout("example.test");

        SpfResult result = spf.check(InetAddress.getByName("192.0.2.7"), "h.example.net", "a@example.test");

        assertThat(result.result()).isEqualTo(Result.TEMPERROR);
        assertThat(result.problem()).contains("example.test").contains("timed out");
    }

    @Test
    void aCheckOverItsTimeLimitIsTemperror() throws Exception {
        dns.addTxt("example.test", "v=spf1 ip4:192.0.2.7 -all");
        SpfVerifier noTime = new SpfVerifier(new DnsResolver(new DnsConfig(List.of(dns.address()), Duration.ofMillis(250), 0, true)),
                Duration.ZERO);

        SpfResult result = noTime.check(InetAddress.getByName("192.0.2.7"), "h.example.net", "a@example.test");

        assertThat(result.result()).isEqualTo(Result.TEMPERROR);
        assertThat(result.problem()).contains("not done within");
    }

    @Test
    void moreThanTenDnsMechanismsIsPermerror() throws Exception {
        StringBuilder record = new StringBuilder("v=spf1");
        for (int i = 1; i <= 11; i++) {
            record.append(" a:h").append(i).append(".example.test");
            dns.add("h" + i + ".example.test", Type.A, "198.51.100." + i);
        }
        dns.addTxt("example.test", record.append(" ip4:192.0.2.7 -all").toString());

        SpfResult result = spf.check(InetAddress.getByName("192.0.2.7"), "h.example.net", "a@example.test");

        assertThat(result.result()).isEqualTo(Result.PERMERROR);
        assertThat(result.problem()).isNotBlank();
    }

    @Test
    void aThirdVoidLookupIsPermerror() throws Exception {
        dns.addTxt("two.example.test", "v=spf1 a:nx1.example.test a:nx2.example.test ip4:192.0.2.7 -all");
        dns.addTxt("three.example.test", "v=spf1 a:nx1.example.test a:nx2.example.test mx:nx3.example.test ip4:192.0.2.7 -all");
        InetAddress client = InetAddress.getByName("192.0.2.7");

        assertThat(spf.check(client, "h.example.net", "a@two.example.test").result()).isEqualTo(Result.PASS);
        SpfResult three = spf.check(client, "h.example.net", "a@three.example.test");
        assertThat(three.result()).isEqualTo(Result.PERMERROR);
        assertThat(three.problem()).contains("void");
    }

    @Test
    void ptrValidatesTheFirstTenNamesOnly() throws Exception {
        dns.addTxt("example.test", "v=spf1 ptr:mail.example.test -all");
        // Two clients, so neither check reads the other's PTR set from the cache (which may rotate it).
        addPtrNames("192.0.2.7", "mx1.mail.example.test");
        addPtrNames("192.0.2.8", "unused.test", "mx1.mail.example.test");

        assertThat(spf.check(InetAddress.getByName("192.0.2.7"), "h.example.net", "a@example.test").result()).isEqualTo(Result.PASS);
        assertThat(spf.check(InetAddress.getByName("192.0.2.8"), "h.example.net", "a@example.test").result()).isEqualTo(Result.FAIL);
    }

    /** Nine unrelated names that resolve back to {@code address}, then {@code last}, each resolving back too. */
    private void addPtrNames(String address, String... last) {
        String[] octets = address.split("\\.");
        String reverse = octets[3] + "." + octets[2] + "." + octets[1] + "." + octets[0] + ".in-addr.arpa";
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            names.add("host" + i + "-" + octets[3] + ".other.test");
        }
        names.addAll(List.of(last));
        for (String name : names) {
            dns.add(reverse, Type.PTR, name + ".");
            dns.add(name, Type.A, address);
        }
    }

    @Test
    void aSyntaxErrorIsPermerrorNamingTheTerm() throws Exception {
        dns.addTxt("example.test", "v=spf1 ip4:192.0.2.7 frobnicate -all");

        SpfResult result = spf.check(InetAddress.getByName("192.0.2.7"), "h.example.net", "a@example.test");

        assertThat(result.result()).isEqualTo(Result.PERMERROR);
        assertThat(result.problem()).isEqualTo("Term [frobnicate] is not syntactically valid");
    }

    @Test
    void recordsOfTypeSpfAreIgnored() throws Exception {
        // RFC 7208 3.1: only TXT holds policies; a type 99 record alone means no policy.
        dns.add("example.test", Type.SPF, "\"v=spf1 -all\"");

        SpfResult result = spf.check(InetAddress.getByName("192.0.2.7"), "h.example.net", "a@example.test");

        assertThat(result.result()).isEqualTo(Result.NONE);
        assertThat(dns.queries()).noneMatch(query -> query.type() == Type.SPF);
    }

    @Test
    void oneVerifierServesConcurrentChecks() throws Exception {
        for (int i = 0; i < 8; i++) {
            dns.addTxt("d" + i + ".example.test", "v=spf1 a:out" + i + ".example.test include:common.example.test -all");
            dns.add("out" + i + ".example.test", Type.A, "192.0.2." + i);
        }
        dns.addTxt("common.example.test", "v=spf1 ip4:198.51.100.0/24 -all");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int n = 0; n < 160; n++) {
                int domain = n % 8;
                int client = n % 3 == 0 ? domain : (domain + 1) % 8;
                checks.add(threads.submit(() -> {
                    Result result = spf.check(InetAddress.getByName("192.0.2." + client), "h.example.net",
                            "a@d" + domain + ".example.test").result();
                    return result == (client == domain ? Result.PASS : Result.FAIL);
                }));
            }
            for (Future<Boolean> check : checks) {
                assertThat(check.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aSecondCheckIsAnsweredFromTheCache() throws Exception {
        dns.addTxt("example.test", "v=spf1 a:out.example.test -all");
        dns.add("out.example.test", Type.A, "192.0.2.7");
        InetAddress client = InetAddress.getByName("192.0.2.7");
        assertThat(spf.check(client, "h.example.net", "a@example.test").result()).isEqualTo(Result.PASS);
        int queries = dns.queries().size();

        assertThat(spf.check(client, "h.example.net", "b@example.test").result()).isEqualTo(Result.PASS);

        assertThat(dns.queries()).hasSize(queries);
    }
}

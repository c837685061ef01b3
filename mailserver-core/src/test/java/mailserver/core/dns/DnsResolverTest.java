package mailserver.core.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import mailserver.core.config.DnsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The resolver against the loopback {@link TestDnsServer}: the real dnsjava path over UDP and TCP. */
class DnsResolverTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private TestDnsServer dns;
    private DnsResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        resolver = resolver(true);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void mxHostsComeLowestPreferenceFirstWithoutTheTrailingDot() {
        dns.add("example.test", Type.MX, "20 backup.example.test.");
        dns.add("example.test", Type.MX, "10 MX.Example.test.");
        dns.add("example.test", Type.MX, "30 far.example.test.");

        DnsAnswer<List<MxHost>> answer = resolver.mx("Example.TEST");

        assertThat(answer).isEqualTo(new DnsAnswer<>(DnsAnswer.Status.SUCCESS, List.of(
                new MxHost(10, "mx.example.test"), new MxHost(20, "backup.example.test"),
                new MxHost(30, "far.example.test")), ""));
    }

    @Test
    void aNullMxIsAnEmptyHost() {
        dns.add("nomail.test", Type.MX, "0 .");

        DnsAnswer<List<MxHost>> answer = resolver.mx("nomail.test");

        assertThat(answer.value()).containsExactly(new MxHost(0, ""));
        assertThat(answer.value().get(0).isNullMx()).isTrue();
    }

    @Test
    void noMxLeavesTheImplicitMxToTheCaller() throws Exception {
        dns.add("implicit.test", Type.A, "127.0.0.3");

        assertThat(resolver.mx("implicit.test").status()).isEqualTo(DnsAnswer.Status.NO_DATA);
        assertThat(resolver.addresses("implicit.test").value()).containsExactly(InetAddress.getByName("127.0.0.3"));
    }

    @Test
    void addressesAreIpv4First() throws Exception {
        dns.add("host.test", Type.AAAA, "2001:db8::25");
        dns.add("host.test", Type.A, "192.0.2.25");

        assertThat(resolver.addresses("host.test")).isEqualTo(new DnsAnswer<>(DnsAnswer.Status.SUCCESS,
                List.of(InetAddress.getByName("192.0.2.25"), InetAddress.getByName("2001:db8::25")), ""));
        dns.add("v6only.test", Type.AAAA, "2001:db8::26");
        assertThat(resolver.addresses("v6only.test").value()).containsExactly(InetAddress.getByName("2001:db8::26"));
    }

    @Test
    void nxdomainAndNoDataAreTold() {
        dns.add("exists.test", Type.TXT, "\"v=spf1 -all\"");
        dns.add("deep.parent.test", Type.A, "192.0.2.1");

        assertThat(resolver.txt("missing.test")).isEqualTo(new DnsAnswer<>(DnsAnswer.Status.NXDOMAIN, List.of(), ""));
        assertThat(resolver.mx("exists.test")).isEqualTo(new DnsAnswer<>(DnsAnswer.Status.NO_DATA, List.of(), ""));
        assertThat(resolver.addresses("missing.test").status()).isEqualTo(DnsAnswer.Status.NXDOMAIN);
        assertThat(resolver.addresses("exists.test").status()).isEqualTo(DnsAnswer.Status.NO_DATA);
        assertThat(resolver.txt("parent.test").status()).as("an empty non-terminal").isEqualTo(DnsAnswer.Status.NO_DATA);
    }

    @Test
    void aNameThatCannotExistIsNxdomainWithoutAQuery() {
        DnsAnswer<List<String>> answer = resolver.txt("a".repeat(64) + ".test");

        assertThat(answer.status()).isEqualTo(DnsAnswer.Status.NXDOMAIN);
        assertThat(answer.error()).startsWith("not a valid domain name");
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void txtCharacterStringsAreJoinedPerRecord() {
        dns.add("example.test", Type.TXT, "\"v=spf1 \" \"ip4:192.0.2.0/24 \" \"-all\"");
        dns.add("example.test", Type.TXT, "\"other\"");

        assertThat(resolver.txt("example.test").value())
                .containsExactlyInAnyOrder("v=spf1 ip4:192.0.2.0/24 -all", "other");
    }

    @Test
    void aDkimKeyFitsInOneUdpAnswerAndABiggerAnswerFallsBackToTcp() {
        String key2048 = "v=DKIM1; k=rsa; p=" + "A".repeat(392);
        dns.addTxt("sel._domainkey.example.test", key2048);
        String huge = "v=DKIM1; k=rsa; p=" + "B".repeat(1500);
        dns.addTxt("big._domainkey.example.test", huge);

        assertThat(resolver.txt("sel._domainkey.example.test").value()).containsExactly(key2048);
        assertThat(resolver.txt("big._domainkey.example.test").value()).containsExactly(huge);

        assertThat(dns.queries()).containsExactly(
                new TestDnsServer.Query("sel._domainkey.example.test", Type.TXT, false),
                new TestDnsServer.Query("big._domainkey.example.test", Type.TXT, false),
                new TestDnsServer.Query("big._domainkey.example.test", Type.TXT, true));
    }

    @Test
    void servfailIsATemporaryFailure() {
        dns.servfail("broken.test");

        assertThat(resolver.mx("broken.test"))
                .isEqualTo(new DnsAnswer<>(DnsAnswer.Status.TEMPORARY_FAILURE, List.of(), "SERVFAIL"));
    }

    @Test
    void noAnswerIsATemporaryFailureThatSaysHowLongAndWhom() {
        dns.timeout("slow.test");
        DnsResolver once = new DnsResolver(new DnsConfig(List.of(dns.address()), TIMEOUT, 1, true));

        DnsAnswer<List<String>> answer = once.txt("slow.test");

        assertThat(answer.status()).isEqualTo(DnsAnswer.Status.TEMPORARY_FAILURE);
        assertThat(answer.value()).isEmpty();
        assertThat(answer.error()).isEqualTo("timed out or unreachable after 2 tries of 300ms querying 127.0.0.1:" + dns.address().getPort());
        assertThat(dns.queries()).as("the first try and one retry").hasSize(2);
    }

    @Test
    void cnamesAreFollowed() throws Exception {
        dns.add("www.example.test", Type.CNAME, "web.example.test.");
        dns.add("web.example.test", Type.A, "192.0.2.80");
        dns.add("_dmarc.example.test", Type.CNAME, "_dmarc.provider.test.");
        dns.add("_dmarc.provider.test", Type.TXT, "\"v=DMARC1; p=reject\"");

        assertThat(resolver.addresses("www.example.test").value()).containsExactly(InetAddress.getByName("192.0.2.80"));
        assertThat(resolver.txt("_dmarc.example.test").value()).containsExactly("v=DMARC1; p=reject");
        assertThat(resolver.lookup("www.example.test", Type.A).value()).hasSize(1);
    }

    @Test
    void ptrNamesTheAddress() throws Exception {
        dns.add("25.2.0.192.in-addr.arpa", Type.PTR, "mail.example.test.");

        assertThat(resolver.ptr(InetAddress.getByName("192.0.2.25")).value()).containsExactly("mail.example.test");
        assertThat(resolver.ptr(InetAddress.getByName("192.0.2.26")).status()).isEqualTo(DnsAnswer.Status.NXDOMAIN);
    }

    @Test
    void answersArePositivelyAndNegativelyCached() {
        dns.add("example.test", Type.MX, "10 mx.example.test.");

        resolver.mx("example.test");
        resolver.mx("example.test");
        resolver.txt("missing.test");
        resolver.txt("missing.test");

        assertThat(dns.queries()).hasSize(2);
        assertThat(resolver.cache()).isNotNull();
        assertThat(resolver.resolver()).isNotNull();
    }

    @Test
    void withoutTheCacheEveryLookupAsks() {
        DnsResolver uncached = resolver(false);
        dns.add("example.test", Type.MX, "10 mx.example.test.");

        uncached.mx("example.test");
        uncached.mx("example.test");
        uncached.txt("missing.test");
        uncached.txt("missing.test");

        assertThat(dns.queries()).hasSize(4);
        assertThat(uncached.cache()).isNull();
    }

    private DnsResolver resolver(boolean cache) {
        return new DnsResolver(new DnsConfig(List.of(dns.address()), TIMEOUT, 0, cache));
    }
}

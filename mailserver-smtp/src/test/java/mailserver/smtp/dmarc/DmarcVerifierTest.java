package mailserver.smtp.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import mailserver.core.config.DnsConfig;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DMARC evaluation against records served by the loopback DNS server, one row per case. */
class DmarcVerifierTest {

    private static TestDnsServer dns;
    private static DmarcVerifier verifier;

    @BeforeAll
    static void zone() throws Exception {
        dns = TestDnsServer.start();
        dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc@example.com");
        dns.addTxt("_dmarc.strict.example", "v=DMARC1; p=reject; adkim=s; aspf=s");
        dns.addTxt("_dmarc.quarantine.example", "v=DMARC1; p=quarantine");
        dns.addTxt("_dmarc.none.example", "v=DMARC1; p=none");
        dns.addTxt("_dmarc.sub.example", "v=DMARC1; p=reject; sp=quarantine");
        dns.addTxt("_dmarc.own.sub.example", "v=DMARC1; p=none");
        dns.addTxt("_dmarc.example.co.uk", "v=DMARC1; p=reject; sp=none");
        dns.addTxt("_dmarc.pct0.example", "v=DMARC1; p=reject; pct=0");
        dns.addTxt("_dmarc.pct100.example", "v=DMARC1; p=reject; pct=100");
        dns.addTxt("_dmarc.pct50.example", "v=DMARC1; p=quarantine; pct=50");
        dns.addTxt("_dmarc.several.example", "v=DMARC1; p=reject");
        dns.addTxt("_dmarc.several.example", "v=DMARC1; p=none");
        dns.addTxt("_dmarc.mixed.example", "v=spf1 -all");
        dns.addTxt("_dmarc.mixed.example", "v=DMARC1; p=quarantine");
        dns.addTxt("_dmarc.invalid.example", "v=DMARC1; p=bogus");
        dns.addTxt("_dmarc.notdmarc.example", "v=spf1 -all");
        dns.servfail("_dmarc.servfail.example");
        dns.timeout("_dmarc.timeout.example");
        dns.addTxt("_dmarc.fallback.example", "v=DMARC1; p=reject");
        dns.servfail("_dmarc.broken.fallback.example");
        verifier = new DmarcVerifier(resolver(), new Random(7));
    }

    /** Uncached, so each check asks the server. */
    private static DnsResolver resolver() {
        return new DnsResolver(new DnsConfig(List.of(dns.address()), Duration.ofMillis(300), 0, false));
    }

    private static DnsResolver cachedResolver() {
        return new DnsResolver(new DnsConfig(List.of(dns.address()), Duration.ofMillis(300), 0, true));
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    @ParameterizedTest(name = "{0} spf={1} dkim={2} -> {3} p={4} dis={5}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // relaxed alignment (the default)
            "example.com         | example.com              | -                          | PASS      | REJECT     | NONE",
            "example.com         | bounces.example.com      | -                          | PASS      | REJECT     | NONE",
            "Mail.Example.COM.   | example.com              | -                          | PASS      | REJECT     | NONE",
            "example.com         | -                        | mail.example.com           | PASS      | REJECT     | NONE",
            "example.com         | other.example            | other.example evil.example | FAIL      | REJECT     | REJECT",
            "example.com         | -                        | -                          | FAIL      | REJECT     | REJECT",
            // strict alignment
            "strict.example      | strict.example           | -                          | PASS      | REJECT     | NONE",
            "strict.example      | -                        | strict.example             | PASS      | REJECT     | NONE",
            "strict.example      | bounces.strict.example   | -                          | FAIL      | REJECT     | REJECT",
            "strict.example      | -                        | mail.strict.example        | FAIL      | REJECT     | REJECT",
            // policies
            "quarantine.example  | -                        | -                          | FAIL      | QUARANTINE | QUARANTINE",
            "none.example        | -                        | -                          | FAIL      | NONE       | NONE",
            // subdomains: sp= applies below the domain with the record, unless they have their own
            "mail.sub.example    | -                        | -                          | FAIL      | QUARANTINE | QUARANTINE",
            "sub.example         | -                        | -                          | FAIL      | REJECT     | REJECT",
            "mail.sub.example    | sub.example              | -                          | PASS      | QUARANTINE | NONE",
            "own.sub.example     | -                        | -                          | FAIL      | NONE       | NONE",
            // organisational domain from the Public Suffix List
            "mail.example.co.uk  | -                        | -                          | FAIL      | NONE       | NONE",
            "mail.example.co.uk  | -                        | example.co.uk              | PASS      | NONE       | NONE",
            "a.b.example.co.uk   | other.co.uk              | -                          | FAIL      | NONE       | NONE",
            // pct
            "pct0.example        | -                        | -                          | FAIL      | REJECT     | QUARANTINE",
            "pct100.example      | -                        | -                          | FAIL      | REJECT     | REJECT",
            // no usable record
            "nodmarc.example     | -                        | -                          | NONE      | -          | NONE",
            "several.example     | -                        | -                          | NONE      | -          | NONE",
            "invalid.example     | -                        | -                          | NONE      | -          | NONE",
            "notdmarc.example    | -                        | -                          | NONE      | -          | NONE",
            "mixed.example       | -                        | -                          | FAIL      | QUARANTINE | QUARANTINE",
            // DNS trouble
            "servfail.example    | servfail.example         | -                          | TEMPERROR | -          | NONE",
            "timeout.example     | -                        | -                          | TEMPERROR | -          | NONE",
            "broken.fallback.example | -                    | -                          | TEMPERROR | -          | NONE",
            "ok.fallback.example | -                        | -                          | FAIL      | REJECT     | REJECT",
    })
    void evaluates(String from, String spfDomain, String dkimDomains, DmarcResult.Result result, DmarcPolicy policy,
            DmarcPolicy disposition) {
        List<String> dkim = dkimDomains == null ? List.of() : Arrays.asList(dkimDomains.split(" "));

        DmarcResult outcome = verifier.check(from, spfDomain, dkim);

        assertThat(outcome.result()).as(outcome.reason()).isEqualTo(result);
        assertThat(outcome.policy()).as(outcome.reason()).isEqualTo(policy);
        assertThat(outcome.disposition()).as(outcome.reason()).isEqualTo(disposition);
        assertThat(outcome.fromDomain()).isEqualTo(OrganizationalDomain.normalize(from));
    }

    @Test
    void reasonsSayWhy() {
        assertThat(verifier.check("several.example", null, List.of()).reason())
                .isEqualTo("several DMARC records at _dmarc.several.example, none used");
        assertThat(verifier.check("invalid.example", null, List.of()).reason())
                .isEqualTo("invalid DMARC record at _dmarc.invalid.example: invalid p=bogus");
        assertThat(verifier.check("mail.sub.example", null, List.of("other.example")).reason())
                .isEqualTo("no aligned SPF or DKIM pass for mail.sub.example (record at _dmarc.sub.example, adkim=r, aspf=r)");
        assertThat(verifier.check("example.com", null, List.of("example.com")).reason())
                .isEqualTo("DKIM d=example.com aligned with example.com");
        assertThat(verifier.check("servfail.example", null, List.of()).reason()).startsWith("DNS lookup of _dmarc.servfail.example failed");
        assertThat(verifier.check("pct0.example", null, List.of()).reason()).endsWith("; pct=0 left this message out");
    }

    @Test
    void pctSamplesWithTheGivenRandom() {
        DmarcVerifier seeded = new DmarcVerifier(cachedResolver(), new Random(42));
        long applied = 0;
        for (int i = 0; i < 200; i++) {
            if (seeded.check("pct50.example", null, List.of()).disposition() == DmarcPolicy.QUARANTINE) {
                applied++;
            }
        }
        assertThat(applied).isBetween(60L, 140L);

        DmarcVerifier again = new DmarcVerifier(cachedResolver(), new Random(42));
        long repeated = 0;
        for (int i = 0; i < 200; i++) {
            if (again.check("pct50.example", null, List.of()).disposition() == DmarcPolicy.QUARANTINE) {
                repeated++;
            }
        }
        assertThat(repeated).as("the same seed, the same sample").isEqualTo(applied);
    }

    @Test
    void theOrganisationalDomainIsAskedOnlyWhenTheFromDomainHasNoRecord() {
        int before = dns.queries().size();
        verifier.check("deep.mail.example.co.uk", null, List.of());
        int between = dns.queries().size();
        verifier.check("example.co.uk", null, List.of());
        assertThat(dns.queries().subList(before, between)).extracting(TestDnsServer.Query::name)
                .containsExactly("_dmarc.deep.mail.example.co.uk", "_dmarc.example.co.uk");
        assertThat(dns.queries().subList(between, dns.queries().size())).extracting(TestDnsServer.Query::name)
                .containsExactly("_dmarc.example.co.uk");
    }
}

package mailserver.smtp.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrganizationalDomainTest {

    @ParameterizedTest
    @CsvSource({
            "example.org, example.org",
            "mail.example.org, example.org",
            "a.b.c.Example.ORG., example.org",
            "mail.example.co.uk, example.co.uk",
            "example.co.uk, example.co.uk",
            "co.uk, co.uk",
            "uk, uk",
            // the PSL's private section: each blogspot.com name is its own organisation
            "alice.blogspot.com, alice.blogspot.com",
            // not under any listed suffix: the default rule "*"
            "mx.host.invalidtld, host.invalidtld",
            "localhost, localhost",
            "mail.bücher.de, xn--bcher-kva.de",
            "mail.xn--bcher-kva.de, xn--bcher-kva.de",
    })
    void organisationalDomainFromThePublicSuffixList(String domain, String organizational) {
        assertThat(OrganizationalDomain.of(domain)).isEqualTo(organizational);
    }
}

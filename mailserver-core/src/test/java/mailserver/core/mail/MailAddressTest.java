package mailserver.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MailAddressTest {

    @Test
    void parsesDotAtomAndLowerCasesOnlyTheDomain() {
        MailAddress a = MailAddress.parse("Alice.Smith+tag@Example.TEST");
        assertThat(a.localPart()).isEqualTo("Alice.Smith+tag");
        assertThat(a.domain()).isEqualTo("example.test");
        assertThat(a).hasToString("Alice.Smith+tag@example.test");
        assertThat(a.lookupKey()).isEqualTo("alice.smith+tag@example.test");
    }

    @Test
    void quotedLocalPartIsUnquotedAndQuotedAgainOnlyWhenNeeded() {
        assertThat(MailAddress.parse("\"alice\"@example.test")).hasToString("alice@example.test");
        MailAddress spaced = MailAddress.parse("\"a b\\\"c\\\\d@e\"@example.test");
        assertThat(spaced.localPart()).isEqualTo("a b\"c\\d@e");
        assertThat(spaced).hasToString("\"a b\\\"c\\\\d@e\"@example.test");
        assertThat(MailAddress.parse("\"a..b\"@example.test")).hasToString("\"a..b\"@example.test");
    }

    @Test
    void utf8LocalPartsAndIdnDomains() {
        MailAddress a = MailAddress.parse("jürgen@Bücher.Example");
        assertThat(a.localPart()).isEqualTo("jürgen");
        assertThat(a.domain()).isEqualTo("xn--bcher-kva.example");
        assertThat(a.displayDomain()).isEqualTo("bücher.example");
        assertThat(a.toDisplayString()).isEqualTo("jürgen@bücher.example");
        assertThat(MailAddress.parse("jürgen@xn--bcher-kva.example")).isEqualTo(a);
        assertThat(MailAddress.parse("用户@例子.广告").domain()).isEqualTo("xn--fsqu00a.xn--4rr70v");
    }

    @Test
    void addressLiterals() {
        assertThat(MailAddress.parse("postmaster@[192.0.2.1]").domain()).isEqualTo("[192.0.2.1]");
        MailAddress v6 = MailAddress.parse("postmaster@[ipv6:2001:DB8::1]");
        assertThat(v6.domain()).isEqualTo("[IPv6:2001:db8::1]");
        assertThat(v6.isAddressLiteral()).isTrue();
        assertThat(v6.displayDomain()).isEqualTo("[IPv6:2001:db8::1]");
    }

    @Test
    void normalizeDomainForLookups() {
        assertThat(MailAddress.normalizeDomain("Mail.Bücher.example")).isEqualTo("mail.xn--bcher-kva.example");
    }

    @Test
    void limitsAreOctetsAtTheEdge() {
        String local64 = "a".repeat(64);
        assertThat(MailAddress.parse(local64 + "@example.test").localPart()).hasSize(64);
        String label63 = "b".repeat(63);
        String domain = label63 + "." + label63 + "." + label63 + ".test";
        assertThat(MailAddress.parse("a@" + domain).domain()).isEqualTo(domain);
        // 32 two-octet characters are 64 octets; 33 are too many.
        assertThat(MailAddress.parse("é".repeat(32) + "@example.test")).isNotNull();
        assertThatThrownBy(() -> MailAddress.parse("é".repeat(33) + "@example.test"))
                .hasMessageContaining("local part longer than 64 octets");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "alice.example.test          | missing @",
            "@example.test               | empty local part",
            "alice@                      | empty domain",
            "a@b@example.test            | more than one @",
            ".alice@example.test         | starts or ends with a dot",
            "al..ice@example.test        | two in a row",
            "a b@example.test            | only allowed when quoted",
            "\"alice@example.test        | unterminated quoted local part",
            "\"al\"ice@example.test      | text after the closing quote",
            "\"\"@example.test           | empty local part",
            "alice@example..test         | empty domain label",
            "alice@.example.test         | empty domain label",
            "alice@example.test.         | empty domain label",
            "alice@-example.test         | other than letters, digits and inner hyphens",
            "alice@exa_mple.test         | other than letters, digits and inner hyphens",
            "alice@xn--zz.test           | not a valid A-label",
            "alice@[1.2.3.4              | without closing ]",
            "alice@[300.1.1.1]           | neither IPv4 nor IPv6",
            "alice@[IPv6:2001:db8::zz]   | bad IPv6 address literal",
            "alice@[IPv6:1:2:3:4:5:6:7:8:9] | bad IPv6 address literal",
    })
    void rejectsWithAMessageNamingTheProblem(String input, String problem) {
        assertThatThrownBy(() -> MailAddress.parse(input))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void rejectsTooLongLabelsDomainsAndAddresses() {
        assertThatThrownBy(() -> MailAddress.parse("a@" + "b".repeat(64) + ".test"))
                .hasMessageContaining("domain label too long");
        String label = "c".repeat(60);
        assertThatThrownBy(() -> MailAddress.parse("a@" + (label + ".").repeat(5) + "test"))
                .hasMessageContaining("domain longer than 255 octets");
        String domain200 = (("d".repeat(49) + ".").repeat(4)).substring(0, 199);
        assertThatThrownBy(() -> MailAddress.parse("a".repeat(60) + "@" + domain200))
                .hasMessageContaining("address longer than 254 octets");
        assertThatThrownBy(() -> MailAddress.parse("x".repeat(100_000)))
                .hasMessageContaining("address longer than 254 octets");
    }

    @Test
    void controlCharactersAndLoneSurrogatesAreRejectedAndShownEscaped() {
        assertThatThrownBy(() -> MailAddress.parse("\"a\u0000b\"@example.test"))
                .hasMessageContaining("control character")
                .hasMessageContaining("\\x00");
        assertThatThrownBy(() -> MailAddress.parse("a\uD800@example.test"))
                .hasMessageContaining("lone surrogate");
    }

    @Test
    void constructorInsistsOnCanonicalDomain() {
        assertThat(new MailAddress("a b", "example.test")).hasToString("\"a b\"@example.test");
        assertThatThrownBy(() -> new MailAddress("a", "Example.TEST"))
                .hasMessageContaining("canonical form");
    }
}

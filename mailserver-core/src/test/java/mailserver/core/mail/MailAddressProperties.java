package mailserver.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MailAddressProperties {

    @Property(tries = 2000)
    void toStringParsesBackToTheSameAddress(@ForAll("addresses") MailAddress address) {
        assertThat(MailAddress.parse(address.toString())).isEqualTo(address);
        assertThat(MailAddress.parse(address.toDisplayString())).isEqualTo(address);
    }

    @Property(tries = 3000)
    void arbitraryTextIsEitherAnAddressOrAnInvalidAddressException(@ForAll("junk") String text) {
        try {
            MailAddress parsed = MailAddress.parse(text);
            assertThat(MailAddress.parse(parsed.toString())).isEqualTo(parsed);
        } catch (InvalidAddressException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<MailAddress> addresses() {
        Arbitrary<String> local = Arbitraries.strings()
                .withChars("abcXYZ019.!#$%&'*+-/=?^_`{|}~ \"\\@()<>,;:[]")
                .withChars("äßé用户")
                .ofMinLength(1).ofMaxLength(30);
        Arbitrary<String> label = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcxyz0189-").ofMinLength(1).ofMaxLength(20)
                        .filter(l -> !l.startsWith("-") && !l.endsWith("-") && !l.startsWith("xn--")),
                Arbitraries.strings().withChars("abcüöä例子").ofMinLength(1).ofMaxLength(10));
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> literal = Arbitraries.of("[192.0.2.1]", "[IPv6:2001:db8::1]", "[IPv6:::ffff:192.0.2.1]");
        return Combinators.combine(local, Arbitraries.oneOf(domain, domain, domain, literal))
                .as((l, d) -> {
                    try {
                        String ascii = d.startsWith("[") ? d : MailAddress.normalizeDomain(d);
                        return new MailAddress(l, ascii);
                    } catch (InvalidAddressException e) {
                        return null;
                    }
                })
                .filter(a -> a != null);
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars("a.\"\\@[]:-xn- é\u0000\uD800IPv6").ofMaxLength(40),
                Arbitraries.strings().withChars("ab.@").ofMaxLength(20).map(s -> s + "@xn--" + s));
    }
}

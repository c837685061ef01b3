package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "mail.example.com", "MX-1.Example.ORG", "a", "xn--bcher-kva.example",
            "123.example.com"})
    void hostNames(String name) throws InvalidValueException {
        assertThat(HostNames.hostname(name)).isEqualTo(name);
        assertThat(HostNames.address(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "mail..example.com", "mail.example.com.", "-mail.example", "mail-.example",
            "mail_server.example", "m ail.example", "10.0.0.300", "1.2.3.4", "ex\u00e4mple.com"})
    void notHostNames(String name) {
        assertThatThrownBy(() -> HostNames.hostname(name)).isInstanceOf(InvalidValueException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "255.255.255.255", "::", "::1", "[::1]", "2001:db8::25",
            "::ffff:192.0.2.1", "fe80::1%1"})
    void ipAddresses(String address) throws InvalidValueException {
        assertThat(HostNames.ipLiteral(address)).isPresent();
        assertThat(HostNames.address(address)).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", ":::", "2001:db8::25::1", "[::1", "zz::1"})
    void notAddresses(String address) {
        assertThatThrownBy(() -> HostNames.address(address)).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void labelAndNameLengthLimits() throws InvalidValueException {
        String label63 = "a".repeat(63);
        assertThat(HostNames.hostname(label63 + ".example")).isNotNull();
        assertThatThrownBy(() -> HostNames.hostname("a" + label63 + ".example")).isInstanceOf(InvalidValueException.class);
        String name253 = (label63 + ".").repeat(3) + "a".repeat(61);
        assertThat(name253).hasSize(253);
        assertThat(HostNames.hostname(name253)).isNotNull();
        assertThatThrownBy(() -> HostNames.hostname(name253 + "a")).isInstanceOf(InvalidValueException.class);
    }
}

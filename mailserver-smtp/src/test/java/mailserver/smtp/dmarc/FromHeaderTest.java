package mailserver.smtp.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FromHeaderTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice@example.org | example.org",
            " Alice <alice@Example.ORG> | example.org",
            "\"Smith, Alice\" <alice@example.org> | example.org",
            "\"a <b@evil.example>\" <alice@example.org> | example.org",
            "alice@example.org (Alice <x@evil.example>, Smith) | example.org",
            "=?UTF-8?Q?J=C3=BCrgen?= <j@bücher.de> | xn--bcher-kva.de",
            "<@relay.example:alice@example.org> | example.org",
            "\"quoted@local\"@example.org | example.org",
            "alice @ example.org | example.org",
    })
    void oneAuthor(String value, String domain) {
        FromHeader from = FromHeader.parse(List.of(value));
        assertThat(from.problem()).isNull();
        assertThat(from.domain()).isEqualTo(domain);
    }

    @Test
    void severalAuthorsOrFieldsAreAProblem() {
        assertThat(FromHeader.parse(List.of("a@example.org, b@evil.example")).problem()).isEqualTo(FromHeader.Problem.SEVERAL);
        assertThat(FromHeader.parse(List.of("a@example.org", "b@evil.example")).problem()).isEqualTo(FromHeader.Problem.SEVERAL);
        assertThat(FromHeader.parse(List.of("authors: a@example.org, b@evil.example;")).problem())
                .isEqualTo(FromHeader.Problem.SEVERAL);
    }

    @Test
    void noAuthor() {
        assertThat(FromHeader.parse(List.of()).problem()).isEqualTo(FromHeader.Problem.MISSING);
        assertThat(FromHeader.parse(List.of("undisclosed-recipients:;")).problem()).isEqualTo(FromHeader.Problem.MISSING);
        assertThat(FromHeader.parse(List.of(" ")).problem()).isEqualTo(FromHeader.Problem.MISSING);
    }

    @Test
    void unusableDomains() {
        assertThat(FromHeader.parse(List.of("alice")).problem()).isEqualTo(FromHeader.Problem.UNPARSABLE);
        assertThat(FromHeader.parse(List.of("alice@[192.0.2.1]")).problem()).isEqualTo(FromHeader.Problem.UNPARSABLE);
        assertThat(FromHeader.parse(List.of("alice@exa mple.org")).problem()).isEqualTo(FromHeader.Problem.UNPARSABLE);
    }
}

package mailserver.auth.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SaslExchangeProperties {

    @Property
    void plainReturnsWhatTheClientEncoded(@ForAll("names") String user, @ForAll("passwords") String password)
            throws Exception {
        String response = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));

        SaslStep step = SaslExchange.start("PLAIN").orElseThrow().begin(Optional.of(response));

        Credentials c = ((SaslStep.Complete) step).credentials();
        assertThat(c.username()).isEqualTo(user);
        assertThat(new String(c.password())).isEqualTo(password);
    }

    /** Any line at all ends in a step or a SaslException, never in another exception. */
    @Property
    void anyResponseLineIsAnsweredCleanly(@ForAll String line) {
        for (String name : new String[] {"PLAIN", "LOGIN"}) {
            SaslExchange exchange = SaslExchange.start(name).orElseThrow();
            try {
                assertThat(exchange.respond(line)).isNotNull();
            } catch (SaslException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Property
    void anyDecodedBytesAreAnsweredCleanly(@ForAll byte[] bytes) {
        String line = Base64.getEncoder().encodeToString(bytes);
        try {
            SaslExchange.start("PLAIN").orElseThrow().respond(line);
        } catch (SaslException expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('!', '~').withChars("äöüé€").ofMinLength(1).ofMaxLength(64);
    }

    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.strings().excludeChars('\0').ofMinLength(1).ofMaxLength(100)
                .filter(p -> p.getBytes(StandardCharsets.UTF_8).length <= Utf8Text.MAX_PASSWORD_BYTES
                        && p.chars().noneMatch(c -> Character.isSurrogate((char) c)));
    }
}

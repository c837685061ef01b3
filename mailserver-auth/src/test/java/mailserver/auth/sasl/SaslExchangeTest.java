package mailserver.auth.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SaslExchangeTest {

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Credentials complete(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Complete.class);
        return ((SaslStep.Complete) step).credentials();
    }

    static SaslExchange start(String mechanism) {
        return SaslExchange.start(mechanism).orElseThrow();
    }

    @Test
    void offersPlainAndLoginInAnyCase() {
        assertThat(SaslExchange.MECHANISMS).containsExactly("PLAIN", "LOGIN");
        assertThat(SaslExchange.start("plain")).get().extracting(SaslExchange::mechanism).isEqualTo("PLAIN");
        assertThat(SaslExchange.start("Login")).isPresent();
        assertThat(SaslExchange.start("CRAM-MD5")).isEmpty();
        assertThat(SaslExchange.start("")).isEmpty();
    }

    @Test
    void plainWithInitialResponse() throws Exception {
        Credentials c = complete(start("PLAIN").begin(Optional.of(b64("\0alice@example.test\0secret pw"))));

        assertThat(c.username()).isEqualTo("alice@example.test");
        assertThat(c.password()).containsExactly("secret pw".toCharArray());
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void plainAfterAnEmptyChallenge() throws Exception {
        SaslExchange exchange = start("PLAIN");
        assertThat(exchange.begin(Optional.empty())).isEqualTo(new SaslStep.Challenge(""));

        Credentials c = complete(exchange.respond(b64("alice\0alice\0pässwörd")));

        assertThat(c.username()).isEqualTo("alice");
        assertThat(new String(c.password())).isEqualTo("pässwörd");
    }

    @Test
    void plainRefusesAnotherAuthorizationIdentity() {
        // maddy CVE-2023-27582: logging in as bob with alice's password must not be possible.
        assertThatThrownBy(() -> start("PLAIN").begin(Optional.of(b64("bob\0alice\0secret"))))
                .isInstanceOf(SaslException.class)
                .extracting(e -> ((SaslException) e).reason()).isEqualTo(SaslException.Reason.AUTHZID_MISMATCH);
    }

    @Test
    void plainRefusesMalformedResponses() {
        for (String bad : new String[] {"alice\0secret", "\0\0secret", "\0alice\0", "\0alice\0secret\0more", "", "no nul"}) {
            assertThatThrownBy(() -> start("PLAIN").respond(b64(bad)))
                    .as("%s", bad.replace("\0", "\\0"))
                    .isInstanceOf(SaslException.class)
                    .extracting(e -> ((SaslException) e).reason()).isEqualTo(SaslException.Reason.MALFORMED);
        }
    }

    @Test
    void anEqualsSignIsAnEmptyInitialResponse() {
        assertThatThrownBy(() -> start("PLAIN").begin(Optional.of("=")))
                .isInstanceOf(SaslException.class).hasMessageContaining("PLAIN needs");
    }

    @Test
    void loginAsksForUserNameThenPassword() throws Exception {
        SaslExchange exchange = start("LOGIN");

        assertThat(exchange.begin(Optional.empty())).isEqualTo(new SaslStep.Challenge(b64("Username:")));
        assertThat(exchange.respond(b64("alice@example.test"))).isEqualTo(new SaslStep.Challenge(b64("Password:")));
        Credentials c = complete(exchange.respond(b64("secret")));

        assertThat(c.username()).isEqualTo("alice@example.test");
        assertThat(c.password()).containsExactly("secret".toCharArray());
    }

    @Test
    void loginWithTheUserNameAsInitialResponse() throws Exception {
        SaslExchange exchange = start("LOGIN");

        assertThat(exchange.begin(Optional.of(b64("alice")))).isEqualTo(new SaslStep.Challenge(b64("Password:")));
        assertThat(complete(exchange.respond(b64("pw"))).username()).isEqualTo("alice");
    }

    @Test
    void loginRefusesEmptyNamesAndPasswordsAndControlCharacters() throws Exception {
        assertThatThrownBy(() -> start("LOGIN").begin(Optional.of("="))).hasMessage("Empty user name");
        assertThatThrownBy(() -> start("LOGIN").respond(b64("ali\nce"))).hasMessage("Control character in the user name");
        SaslExchange exchange = start("LOGIN");
        exchange.respond(b64("alice"));
        assertThatThrownBy(() -> exchange.respond("")).hasMessage("Empty password");
    }

    @Test
    void starCancels() throws Exception {
        SaslExchange exchange = start("LOGIN");
        exchange.begin(Optional.empty());

        assertThatThrownBy(() -> exchange.respond("*"))
                .isInstanceOf(SaslException.class)
                .extracting(e -> ((SaslException) e).reason()).isEqualTo(SaslException.Reason.CANCELLED);
    }

    @Test
    void refusesInvalidBase64AndNonUtf8() {
        assertThatThrownBy(() -> start("PLAIN").respond("not base64!"))
                .isInstanceOf(SaslException.class).hasMessage("Invalid base64 data");
        byte[] latin1 = "\0alice\0p\u00e4ss".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> start("PLAIN").respond(Base64.getEncoder().encodeToString(latin1)))
                .isInstanceOf(SaslException.class).hasMessage("Not UTF-8");
    }

    @Test
    void enforcesLengthLimits() {
        String tooLong = "A".repeat(SaslExchange.MAX_RESPONSE_LENGTH + 4);
        assertThatThrownBy(() -> start("PLAIN").respond(tooLong))
                .isInstanceOf(SaslException.class)
                .extracting(e -> ((SaslException) e).reason()).isEqualTo(SaslException.Reason.TOO_LONG);
        String longName = "a".repeat(Utf8Text.MAX_IDENTITY_BYTES + 1);
        assertThatThrownBy(() -> start("PLAIN").respond(b64("\0" + longName + "\0pw")))
                .hasMessageContaining("User name longer than");
        String longPassword = "p".repeat(Utf8Text.MAX_PASSWORD_BYTES + 1);
        assertThatThrownBy(() -> start("PLAIN").respond(b64("\0alice\0" + longPassword)))
                .hasMessageContaining("Password longer than");
    }

    @Test
    void aFinishedExchangeTakesNoMoreResponses() throws Exception {
        SaslExchange exchange = start("PLAIN");
        exchange.respond(b64("\0alice\0pw"));

        assertThatThrownBy(() -> exchange.respond(b64("\0alice\0pw"))).isInstanceOf(IllegalStateException.class);
    }
}

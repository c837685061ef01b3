package mailserver.auth.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordsTest {

    @Test
    void newPasswordsAreBcryptWithCostTwelve() throws Exception {
        String hash = Passwords.hash("s3cret".toCharArray());
        assertThat(hash).startsWith("{BLF-CRYPT}$2y$12$");
        assertThat(Passwords.verify("s3cret".toCharArray(), hash)).isTrue();
        assertThat(Passwords.verify("s3cres".toCharArray(), hash)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA512-CRYPT", "SHA256-CRYPT", "MD5-CRYPT", "ARGON2I", "argon2id", "SSHA512", "SSHA256", "SSHA", "SCRAM-SHA-256", "PLAIN"})
    void everyWritableSchemeRoundTrips(String scheme) throws Exception {
        char[] pw = "pässwörd with spaces".toCharArray();
        String hash = Passwords.hash(scheme, pw);
        assertThat(hash).startsWithIgnoringCase("{" + scheme + "}");
        assertThat(Passwords.verify(pw, hash)).isTrue();
        assertThat(Passwords.verify("other".toCharArray(), hash)).isFalse();
    }

    @Test
    void scramCredentialsComeFromScramAndPlaintextSchemesOnly() throws Exception {
        String stored = "{SCRAM-SHA-256}4096,1aw8psCK7tSUCJ7AzsoyYA==,ucpIib3nEYj+hLKSnYEksSNY0/q3jmCUNl08nUo9QUQ=,"
                + "nE0Z+iNgj3uyCAhcxkO1uIYGlmvSl+MUdoHgISUucjI="; // doveadm pw -s SCRAM-SHA-256 -p pencil
        byte[] salt = "sixteen bytes!!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ScramCredentials fromScram = Passwords.scramCredentials(stored, salt).orElseThrow();
        ScramCredentials fromPlain = Passwords.scramCredentials("{CLEAR}pencil", salt).orElseThrow();

        assertThat(fromScram.iterations()).isEqualTo(4096);
        assertThat(fromScram.storedKey()).isEqualTo(ScramCredentials.derive("pencil".getBytes(), fromScram.salt(), 4096).storedKey());
        assertThat(fromPlain.salt()).isEqualTo(salt);
        assertThat(fromPlain.storedKey()).isEqualTo(ScramCredentials.derive("pencil".getBytes(), salt, 4096).storedKey());
        assertThat(Passwords.scramCredentials(Passwords.hash("pencil".toCharArray()), salt)).isEmpty();
        assertThat(Passwords.scramCredentials("$6$abc$def", salt)).isEmpty();
        assertThatThrownBy(() -> Passwords.scramCredentials("{SCRAM-SHA-256}4096,abc", salt)).isInstanceOf(PasswordSchemeException.class);
        assertThatThrownBy(() -> Passwords.scramCredentials("{SCRAM-SHA-256}0,AAAA,AAAA,AAAA", salt)).isInstanceOf(PasswordSchemeException.class);
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "{SCRAM-SHA-256}4096,AAAA,AAAA,AAAA"))
                .hasMessageContaining("32 bytes");
    }

    @Test
    void unknownSchemesAreAnErrorNotAWrongPassword() {
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "{RUBBISH}abc"))
                .isInstanceOf(PasswordSchemeException.class)
                .hasMessageContaining("unknown password scheme {RUBBISH}");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "abcdef"))
                .hasMessageContaining("without a {SCHEME} prefix");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "{CRYPT}abQ8hG4YmFx9."))
                .hasMessageContaining("DES crypt is not supported");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), ""))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Passwords.hash("CRAM-MD5", "x".toCharArray()))
                .hasMessageContaining("cannot write password scheme CRAM-MD5");
    }

    @Test
    void schemeNamesAreCaseInsensitiveAndDovecotAliasesWork() throws Exception {
        String md5crypt = "$1$xG/x5CzH$3tZlZz8c9GWiJJ4kWK2ug.";
        String openssl = Passwords.hash("MD5-CRYPT", "pw".toCharArray()).substring("{MD5-CRYPT}".length());
        for (String stored : List.of("{md5-crypt}" + openssl, "{MD5}" + openssl, "{CRYPT}" + openssl, openssl)) {
            assertThat(Passwords.verify("pw".toCharArray(), stored)).as(stored).isTrue();
        }
        assertThatThrownBy(() -> Passwords.verify("pw".toCharArray(), md5crypt.replace('.', '!')))
                .hasMessageContaining("malformed $1$");
        assertThat(Passwords.verify("pw".toCharArray(), "{clear}pw")).isTrue();
    }

    @Test
    void malformedHashesNameTheirScheme() {
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "{SHA512-CRYPT}$6$salt"))
                .hasMessageContaining("malformed $6$");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "{SHA512-CRYPT}$5$salt$abc"))
                .hasMessageContaining("malformed $6$");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "{BLF-CRYPT}$2y$12$short"))
                .hasMessageContaining("malformed bcrypt");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "{SSHA512}not base64!"))
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "{SSHA}AAAA"))
                .hasMessageContaining("wrong length");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "{ARGON2ID}$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2g"))
                .hasMessageContaining("malformed $argon2id$");
    }

    @Test
    void costsAreCappedSoOneRowCannotStallTheServer() {
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "$6$rounds=999999999$salt$" + "a".repeat(86)))
                .hasMessageContaining("more than 5000000 rounds");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(), "$2y$31$" + "a".repeat(53)))
                .hasMessageContaining("bcrypt cost 31 outside 4..16");
        assertThatThrownBy(() -> Passwords.verify("x".toCharArray(),
                "$argon2id$v=19$m=4194304,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"))
                .hasMessageContaining("outside m<=262144");
    }

    @Test
    void bcryptLooksAtTheFirst72BytesLikeCrypt3() throws Exception {
        String long1 = "a".repeat(72) + "tail-one";
        String hash = Passwords.hash(long1.toCharArray());
        assertThat(Passwords.verify(("a".repeat(72) + "tail-two").toCharArray(), hash)).isTrue();
    }
}

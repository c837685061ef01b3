package mailserver.auth.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Hashes written by doveadm, openssl and libxcrypt (see make-vectors.sh beside the resource). */
class PasswordVectorsTest {

    record Vector(int number, String source, String password, String hash) {
    }

    static List<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                PasswordVectorsTest.class.getResourceAsStream("password-vectors.tsv")), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split("\t", -1);
                out.add(new Vector(out.size() + 1, f[0], f[1], f[2]));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyExternalVectorVerifiesAndAWrongPasswordFails() throws IOException {
        List<Vector> all = vectors();
        return all.stream().map(v -> DynamicTest.dynamicTest(
                "vector " + v.number() + " of " + all.size() + ": " + v.source() + " " + scheme(v.hash()),
                () -> {
                    assertThat(Passwords.verify(v.password().toCharArray(), v.hash())).isTrue();
                    assertThat(Passwords.verify((v.password() + "x").toCharArray(), v.hash())).isFalse();
                }));
    }

    @Test
    void theVectorsCoverEveryFormatTheBriefNames() throws IOException {
        List<String> hashes = vectors().stream().map(Vector::hash).toList();
        for (String marker : List.of("{SHA512-CRYPT}$6$", "{SHA256-CRYPT}$5$", "$5$rounds=", "$6$rounds=",
                "{BLF-CRYPT}$2y$", "{ARGON2ID}$argon2id$v=19$", "{ARGON2I}$argon2i$v=19$", "{MD5-CRYPT}$1$",
                "{SSHA512}", "{SSHA256}", "{SSHA}", "{SCRAM-SHA-256}4096,", "{PLAIN}", "{CLEARTEXT}")) {
            assertThat(hashes).as(marker).anyMatch(h -> h.contains(marker));
        }
        for (String bare : List.of("$1$", "$5$", "$6$", "$2a$", "$2b$")) {
            assertThat(hashes).as("bare " + bare).anyMatch(h -> h.startsWith(bare));
        }
    }

    private static String scheme(String hash) {
        if (hash.startsWith("{")) {
            return hash.substring(0, hash.indexOf('}') + 1);
        }
        return hash.substring(0, hash.indexOf('$', 1) + 1);
    }
}

package mailserver.auth.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mailserver.auth.ExternalResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The other direction: Dovecot's own {@code doveadm pw -t} accepts the hashes we write. */
class DovecotAcceptsOurHashesTest {

    private static final Path DOVEADM = Path.of("/usr/bin/doveadm");

    @BeforeAll
    static void needsDoveadm() {
        ExternalResource.require(Files.isExecutable(DOVEADM), "doveadm (Debian package dovecot-core)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BLF-CRYPT", "SHA512-CRYPT", "SHA256-CRYPT", "MD5-CRYPT", "ARGON2ID", "ARGON2I", "SSHA512", "SSHA256", "SSHA", "SCRAM-SHA-256", "PLAIN"})
    void doveadmVerifiesOurHash(String scheme) throws Exception {
        String password = "Tëst pass 42";
        String hash = scheme.equals("BLF-CRYPT") ? Passwords.hash(password.toCharArray()) : Passwords.hash(scheme, password.toCharArray());
        assertThat(doveadmTest(hash, password)).as("doveadm pw -t %s", hash).contains("(verified)");
        assertThat(doveadmTest(hash, password + "!")).contains("mismatch");
    }

    private static String doveadmTest(String hash, String password) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(DOVEADM.toString(), "pw", "-t", hash, "-p", password)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}

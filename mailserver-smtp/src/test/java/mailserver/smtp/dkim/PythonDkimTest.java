package mailserver.smtp.dkim;

import static mailserver.smtp.dkim.DkimTestDns.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import mailserver.smtp.dkim.DkimResult.Result;

/**
 * Messages signed by python3-dkim (Debian's {@code dkimsign}, keys from its {@code dknewkey})
 * verified by ours, with the key records served by a loopback DNS server.
 */
class PythonDkimTest {

    private static final String DOMAIN = "example.test";
    private static final String DKIMSIGN = "/usr/bin/dkimsign";
    private static final String DKNEWKEY = "/usr/bin/dknewkey";
    /** Debian's interpreter, where python3-dkim is installed (not a virtualenv's). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path LENGTH_SCRIPT = Path.of("src/test/python/dkim_sign_length.py").toAbsolutePath();

    /** Folded and unfolded fields, odd whitespace, UTF-8, trailing blank lines: what canonicalisation is about. */
    static final byte[] MESSAGE = crlf("""
            From: "Alice Example" <alice@example.test>
            To: Bob <bob@example.org>,
            \tCarol <carol@example.org>
            Subject:   Grüße  aus   dem \t Test \s
            Date: Sun, 29 Nov 2026 09:00:00 +0000
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Message-ID: <test@example.test>

            Hello  Bob,\t
              indented   line
            \t
            Grüße

            trailing blank lines follow


            """);

    @TempDir
    static Path keys;
    private static DkimTestDns dns;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeys() {
        DkimTool.require("python3-dkim", DKIMSIGN, DKNEWKEY, PYTHON);
        DkimTool.run(keys, List.of(DKNEWKEY, "rsa"), new byte[0]);
        DkimTool.run(keys, List.of(DKNEWKEY, "--ktype", "ed25519", "ed"), new byte[0]);
        DkimTool.run(keys, List.of(DKNEWKEY, "other"), new byte[0]);
        dns = DkimTestDns.start();
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    @BeforeEach
    void publish() throws IOException {
        dns.server().clear();
        dns.publish("rsa", DOMAIN, Files.readString(keys.resolve("rsa.dns")).strip());
        dns.publish("ed", DOMAIN, Files.readString(keys.resolve("ed.dns")).strip());
    }

    @ParameterizedTest(name = "{0} {1}/{2}")
    @CsvSource({
        "rsa-sha256, relaxed, relaxed", "rsa-sha256, relaxed, simple", "rsa-sha256, simple, relaxed",
        "rsa-sha256, simple, simple", "ed25519-sha256, relaxed, relaxed", "ed25519-sha256, simple, simple"})
    void signedByDkimsignPasses(String algorithm, String headerCanon, String bodyCanon) {
        byte[] signed = dkimsign(algorithm, headerCanon, bodyCanon, List.of());

        List<DkimResult> results = verify(signed);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.result()).as(r.reason()).isEqualTo(Result.PASS);
            assertThat(r.algorithm()).isEqualTo(algorithm);
            assertThat(r.domain()).isEqualTo(DOMAIN);
            assertThat(r.selector()).isEqualTo(algorithm.startsWith("rsa") ? "rsa" : "ed");
        });
    }

    @ParameterizedTest(name = "{0} {1}/{2}")
    @CsvSource({"rsa-sha256, relaxed, relaxed", "ed25519-sha256, simple, simple"})
    void tamperedMessagesFail(String algorithm, String headerCanon, String bodyCanon) {
        byte[] signed = dkimsign(algorithm, headerCanon, bodyCanon, List.of());

        assertFails(replace(signed, "indented   line", "indented   lime"), "body hash did not verify");
        assertFails(replace(signed, "Grüße  aus", "Grüsse  aus"), "signature did not verify");
        assertFails(replace(signed, "alice@example.test", "alice@example.org"), "signature did not verify");
    }

    @Test
    void relaxedSurvivesWhitespaceChanges() {
        byte[] signed = dkimsign("rsa-sha256", "relaxed", "relaxed", List.of());
        byte[] changed = replace(replace(replace(signed, "Hello  Bob,\t", "Hello \t Bob,"), "Subject:   Grüße",
                "subject:Grüße"), "Test  \r\n", "Test\r\n");
        changed = replace(changed, "follow\r\n", "follow \t\r\n  \r\n\r\n");
        assertThat(verify(changed)).singleElement().extracting(DkimResult::result).isEqualTo(Result.PASS);
    }

    @Test
    void identityTag() {
        byte[] signed = dkimsign("rsa-sha256", "relaxed", "simple", List.of("--identity", "alice@mail.example.test"));
        assertThat(verify(signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).as(r.reason()).isEqualTo(Result.PASS);
            assertThat(r.identity()).isEqualTo("alice@mail.example.test");
        });
    }

    @Test
    void wrongKeyFails() throws IOException {
        dns.publish("rsa", DOMAIN, Files.readString(keys.resolve("other.dns")).strip());
        assertFails(dkimsign("rsa-sha256", "relaxed", "simple", List.of()), "signature did not verify");
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"relaxed, relaxed", "simple, simple"})
    void bodyLengthTag(String headerCanon, String bodyCanon) {
        byte[] signed = DkimTool.run(dir, List.of(PYTHON, LENGTH_SCRIPT.toString(), "rsa", DOMAIN,
                keys.resolve("rsa.key").toString(), headerCanon, bodyCanon), MESSAGE);
        assertThat(new String(signed, StandardCharsets.ISO_8859_1)).contains(" l=");

        assertThat(verify(signed)).singleElement().satisfies(r -> assertThat(r.result()).as(r.reason())
                .isEqualTo(Result.PASS));
        byte[] appended = (new String(signed, StandardCharsets.ISO_8859_1) + "-- \r\nAppended by a list\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(verify(appended)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(Result.POLICY);
            assertThat(r.reason()).endsWith("body octets not covered by l=");
        });
    }

    @Test
    void twoSignaturesByDifferentKeys() {
        byte[] once = dkimsign("ed25519-sha256", "relaxed", "relaxed", List.of());
        byte[] twice = DkimTool.run(dir, List.of(DKIMSIGN, "rsa", DOMAIN, keys.resolve("rsa.key").toString()), once);
        assertThat(verify(twice)).extracting(DkimResult::algorithm, DkimResult::result).containsExactly(
                org.assertj.core.groups.Tuple.tuple("rsa-sha256", Result.PASS),
                org.assertj.core.groups.Tuple.tuple("ed25519-sha256", Result.PASS));
    }

    private byte[] dkimsign(String algorithm, String headerCanon, String bodyCanon, List<String> options) {
        List<String> command = new ArrayList<>(List.of(DKIMSIGN, "--signalg", algorithm, "--hcanon", headerCanon,
                "--bcanon", bodyCanon));
        command.addAll(options);
        boolean rsa = algorithm.startsWith("rsa");
        command.addAll(List.of(rsa ? "rsa" : "ed", DOMAIN, keys.resolve(rsa ? "rsa.key" : "ed.key").toString()));
        byte[] signed = DkimTool.run(dir, command, MESSAGE);
        assertThat(new String(signed, StandardCharsets.ISO_8859_1)).startsWith("DKIM-Signature:")
                .doesNotContainPattern("[^\r]\n");
        return signed;
    }

    private List<DkimResult> verify(byte[] message) {
        return DkimTestDns.verify(dns.verifier(), dir, message);
    }

    private void assertFails(byte[] message, String reason) {
        assertThat(verify(message)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(Result.FAIL);
            assertThat(r.reason()).isEqualTo(reason);
        });
    }

    static byte[] replace(byte[] message, String from, String to) {
        String text = new String(message, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }
}

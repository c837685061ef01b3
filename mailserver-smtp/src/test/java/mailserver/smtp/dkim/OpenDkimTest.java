package mailserver.smtp.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import mailserver.smtp.dkim.DkimResult.Result;

/**
 * Messages signed by OpenDKIM, the milter the seed stack runs, verified by ours. The key is
 * made by {@code opendkim-genkey} (ed25519 by openssl); {@code opendkim -t} signs one file in
 * test mode and prints the DKIM-Signature field it would add.
 */
class OpenDkimTest {

    private static final String DOMAIN = "example.test";
    private static final String OPENDKIM = "/usr/sbin/opendkim";
    private static final String GENKEY = "/usr/sbin/opendkim-genkey";
    private static final String OPENSSL = "/usr/bin/openssl";

    /**
     * The python test's message, but with one space after "Subject:": the milter protocol hands
     * OpenDKIM header values without their leading whitespace, and it puts back one space, so
     * with simple header canonicalisation its signature covers a field other than the one sent.
     * (python3-dkim rejects such a signature too.)
     */
    private static final byte[] MESSAGE = PythonDkimTest.replace(PythonDkimTest.MESSAGE, "Subject:   ", "Subject: ");

    /** OpenDKIM refuses files below a directory others may write to, such as /tmp: a folder in the build folder. */
    private static Path work;
    private static DkimTestDns dns;

    @BeforeAll
    static void makeKeys() throws IOException, URISyntaxException {
        DkimTool.require("opendkim", OPENDKIM);
        DkimTool.require("opendkim-tools", GENKEY);
        DkimTool.require("openssl", OPENSSL);
        Path buildFolder = Path.of(OpenDkimTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        work = Files.createTempDirectory(buildFolder, "opendkim",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        DkimTool.run(work, List.of(GENKEY, "-b", "2048", "-d", DOMAIN, "-s", "rsa"), new byte[0]);
        DkimTool.run(work, List.of(OPENSSL, "genpkey", "-algorithm", "ed25519", "-out", "ed.pem"), new byte[0]);
        Files.setPosixFilePermissions(work.resolve("ed.pem"), PosixFilePermissions.fromString("rw-------"));
        dns = DkimTestDns.start();
        dns.publish("rsa", DOMAIN, zoneFileText(Files.readString(work.resolve("rsa.txt"))));
        byte[] spki = DkimTool.run(work, List.of(OPENSSL, "pkey", "-in", "ed.pem", "-pubout", "-outform", "DER"),
                new byte[0]);
        byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        dns.publish("ed", DOMAIN, "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(raw));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (dns != null) {
            dns.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * No ed25519 with simple header canonicalisation: OpenDKIM 2.11.0~beta2 (Debian 12) makes
     * such signatures that python3-dkim rejects as well.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rsa-sha256, relaxed/relaxed", "rsa-sha256, simple/simple", "rsa-sha256, relaxed/simple",
        "rsa-sha256, simple/relaxed", "ed25519-sha256, relaxed/relaxed", "ed25519-sha256, relaxed/simple"})
    void signedByOpenDkimPasses(String algorithm, String canonicalization) throws IOException {
        byte[] signed = opendkimSign(algorithm, canonicalization, MESSAGE);

        assertThat(verify(signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).as(r.reason()).isEqualTo(Result.PASS);
            assertThat(r.algorithm()).isEqualTo(algorithm);
        });
    }

    @Test
    void tamperedMessagesFail() throws IOException {
        byte[] signed = opendkimSign("rsa-sha256", "relaxed/relaxed", MESSAGE);

        assertThat(verify(PythonDkimTest.replace(signed, "Hello  Bob", "Hello  Eve")))
                .singleElement().extracting(DkimResult::reason).isEqualTo("body hash did not verify");
        assertThat(verify(PythonDkimTest.replace(signed, "Date: Sun", "Date: Mon")))
                .singleElement().extracting(DkimResult::reason).isEqualTo("signature did not verify");
    }

    /** Signs {@code message} the way the milter would and returns it with the new field on top. */
    private static byte[] opendkimSign(String algorithm, String canonicalization, byte[] message) throws IOException {
        Path dir = Files.createTempDirectory(work, "sign");
        String selector = algorithm.startsWith("rsa") ? "rsa" : "ed";
        String key = algorithm.startsWith("rsa") ? "rsa.private" : "ed.pem";
        Files.writeString(dir.resolve("opendkim.conf"), String.join("\n",
                "Domain " + DOMAIN, "Selector " + selector, "KeyFile " + work.resolve(key),
                "Canonicalization " + canonicalization, "SignatureAlgorithm " + algorithm,
                "Mode s", "Syslog no", ""));
        Files.write(dir.resolve("message.eml"), message);
        String output = new String(DkimTool.run(dir, List.of(OPENDKIM, "-x", "opendkim.conf", "-t", "message.eml"),
                new byte[0]), StandardCharsets.ISO_8859_1);
        // "opendkim: message.eml:\n" then the field, folded with CRLF (LF for LF input), then "\n"
        int start = output.indexOf("DKIM-Signature:");
        assertThat(start).as("opendkim output: %s", output).isGreaterThanOrEqualTo(0);
        String field = output.substring(start).strip().replaceAll("\r?\n", "\r\n");
        return (field + "\r\n" + new String(message, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The TXT text of opendkim-genkey's zone file line: its quoted strings joined. */
    private static String zoneFileText(String zoneFile) {
        StringBuilder text = new StringBuilder();
        java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(zoneFile);
        while (quoted.find()) {
            text.append(quoted.group(1));
        }
        return text.toString();
    }

    private List<DkimResult> verify(byte[] message) {
        try {
            Path file = Files.createTempFile(work, "verify", ".eml");
            Files.write(file, message);
            return dns.verifier().verify(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

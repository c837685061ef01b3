package mailserver.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import ch.qos.logback.classic.Level;
import mailserver.core.config.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    @TempDir
    Path dataDir;

    @Test
    void generatesACertificateForTheHostnameWithAPrivateKeyFile() throws Exception {
        Path dir = dataDir.resolve("tls");

        CertificateFiles files = SelfSignedCertificate.ensure(dir, "mx.example.org");

        assertThat(files.certificate()).isEqualTo(dir.resolve("fullchain.pem"));
        assertThat(files.privateKey()).isEqualTo(dir.resolve("key.pem"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())))
                .isEqualTo("rw-------");
        X509Certificate leaf = PemFiles.load(files).leaf();
        assertThat(SelfSignedCertificate.dnsNames(leaf)).containsExactly("mx.example.org");
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(leaf.getNotAfter().toInstant()).isAfter(Instant.now().plus(3600, ChronoUnit.DAYS));
        assertThat(Files.list(dir)).hasSize(2); // no temporary files left behind
    }

    @Test
    void opensslReadsTheSubjectAlternativeName() throws Exception {
        OpenSsl.assumeAvailable();
        CertificateFiles files = SelfSignedCertificate.ensure(dataDir, "mx.example.org");

        OpenSsl.Result text = OpenSsl.execute(dataDir, "", "x509", "-in", files.certificate().toString(),
                "-noout", "-ext", "subjectAltName");

        assertThat(text.output()).contains("DNS:mx.example.org");
        OpenSsl.run(dataDir, "pkey", "-in", files.privateKey().toString(), "-check", "-noout");
    }

    @Test
    void reusesTheCertificateOnTheNextStart() throws Exception {
        X509Certificate first = PemFiles.load(SelfSignedCertificate.ensure(dataDir, "mx.example.org")).leaf();
        X509Certificate second = PemFiles.load(SelfSignedCertificate.ensure(dataDir, "mx.example.org")).leaf();

        assertThat(second.getSerialNumber()).isEqualTo(first.getSerialNumber());
    }

    @Test
    void generatesANewOneWhenTheHostnameChanged() throws Exception {
        X509Certificate first = PemFiles.load(SelfSignedCertificate.ensure(dataDir, "old.example.org")).leaf();
        X509Certificate second = PemFiles.load(SelfSignedCertificate.ensure(dataDir, "new.example.org")).leaf();

        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(SelfSignedCertificate.dnsNames(second)).containsExactly("new.example.org");
    }

    @Test
    void providerWithoutConfiguredFilesUsesItAndWarns() throws Exception {
        try (LogCapture log = new LogCapture(SelfSignedCertificate.class);
             TlsContextProvider provider = TlsContextProvider.start(new TlsConfig(null, null, dataDir),
                     "mx.example.org")) {
            assertThat(provider.current().isServer()).isTrue();
            assertThat(log.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("self-signed", "mx.example.org");
            });
        }
    }
}

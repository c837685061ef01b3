package mailserver.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

    @TempDir
    static Path dir;
    static PemFixtures fixtures;

    @BeforeAll
    static void generateFixtures() {
        OpenSsl.assumeAvailable();
        fixtures = PemFixtures.generate(dir);
    }

    @Test
    void readsTraditionalPkcs1RsaKey() throws Exception {
        assertThat(PemFiles.load(fixtures.files("rsa.crt", "rsa-pkcs1.key")).privateKey()).isInstanceOf(RSAPrivateKey.class);
    }

    @Test
    void readsPkcs8RsaKey() throws Exception {
        assertThat(PemFiles.load(fixtures.files("rsa.crt", "rsa-pkcs8.key")).privateKey()).isInstanceOf(RSAPrivateKey.class);
    }

    @Test
    void readsSec1EcKeyWithParametersBlockBeforeIt() throws Exception {
        assertThat(Files.readString(dir.resolve("ec-with-params.key"))).startsWith("-----BEGIN EC PARAMETERS-----");
        assertThat(PemFiles.load(fixtures.files("ec.crt", "ec-with-params.key")).privateKey()).isInstanceOf(ECPrivateKey.class);
    }

    @Test
    void readsSec1EcKeyAlone() throws Exception {
        assertThat(Files.readString(dir.resolve("ec-sec1.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(PemFiles.load(fixtures.files("ec.crt", "ec-sec1.key")).privateKey()).isInstanceOf(ECPrivateKey.class);
    }

    @Test
    void readsPkcs8EcKey() throws Exception {
        assertThat(PemFiles.load(fixtures.files("ec.crt", "ec-pkcs8.key")).privateKey()).isInstanceOf(ECPrivateKey.class);
    }

    @Test
    void readsAFullChainInOrder() throws Exception {
        fixtures.caSigned("rsa-pkcs1.key", "leaf.crt", "mail.example.com");
        Files.writeString(dir.resolve("fullchain.crt"),
                Files.readString(dir.resolve("leaf.crt")) + Files.readString(dir.resolve("ca.crt")));

        CertifiedKey loaded = PemFiles.load(fixtures.files("fullchain.crt", "rsa-pkcs1.key"));

        assertThat(loaded.chain()).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=mail.example.com", "CN=Test CA");
    }

    @Test
    void refusesAKeyOfAnotherCertificate() {
        assertThatThrownBy(() -> PemFiles.load(fixtures.files("rsa.crt", "other.key")))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("does not match the certificate")
                .hasMessageContaining(dir.resolve("other.key").toString());
    }

    @Test
    void refusesAKeyOfAnotherType() {
        assertThatThrownBy(() -> PemFiles.load(fixtures.files("rsa.crt", "ec-sec1.key")))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("does not match the certificate");
    }

    @Test
    void refusesEncryptedKeysNamingTheFile() {
        for (String key : new String[] {"encrypted-pkcs8.key", "encrypted-pkcs1.key"}) {
            assertThatThrownBy(() -> PemFiles.load(fixtures.files("rsa.crt", key)))
                    .isInstanceOf(TlsException.class)
                    .hasMessageContaining("is encrypted")
                    .hasMessageContaining(dir.resolve(key).toString());
        }
    }

    @Test
    void reportsACertificateFileWithoutCertificate() {
        assertThatThrownBy(() -> PemFiles.load(fixtures.files("rsa-pkcs1.key", "rsa-pkcs1.key")))
                .isInstanceOf(TlsException.class)
                .hasMessage("no certificate found in " + dir.resolve("rsa-pkcs1.key")
                        + " (expected a PEM block \"BEGIN CERTIFICATE\")");
    }

    @Test
    void reportsAKeyFileWithoutKey() {
        assertThatThrownBy(() -> PemFiles.load(fixtures.files("rsa.crt", "rsa.crt")))
                .isInstanceOf(TlsException.class)
                .hasMessageStartingWith("no private key found in " + dir.resolve("rsa.crt"));
    }

    @Test
    void reportsAMissingFile() {
        assertThatThrownBy(() -> PemFiles.load(fixtures.files("absent.crt", "rsa-pkcs1.key")))
                .isInstanceOf(TlsException.class)
                .hasMessage("cannot read certificate file " + dir.resolve("absent.crt") + ": no such file");
    }

    @Test
    void reportsABinaryFileAsHavingNoCertificate() throws IOException {
        Path der = dir.resolve("binary.crt");
        Files.write(der, new byte[] {0x30, (byte) 0x82, 0x01, 0x00, (byte) 0xff, 0x00});
        assertThatThrownBy(() -> PemFiles.readCertificates(der))
                .isInstanceOf(TlsException.class)
                .hasMessageStartingWith("no certificate found in " + der);
    }

    @Test
    void reportsCorruptBase64() throws IOException {
        Path broken = dir.resolve("broken.crt");
        Files.writeString(broken, "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.readCertificates(broken))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining(broken.toString());
    }

    @Test
    void refusesHugeFiles() throws IOException {
        Path huge = dir.resolve("huge.crt");
        Files.write(huge, new byte[(int) PemFiles.MAX_FILE_SIZE + 1]);
        assertThatThrownBy(() -> PemFiles.readCertificates(huge))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("is not a certificate or key file");
    }
}

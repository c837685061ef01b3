package mailserver.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import ch.qos.logback.classic.Level;
import io.netty.handler.ssl.SslContext;
import mailserver.core.config.TlsConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload the way certbot renews: {@code live/} holds symlinks into {@code archive/}, and a
 * renewal adds new files to the archive and swaps the links.
 */
class TlsContextProviderTest {

    @TempDir
    Path dir;
    PemFixtures fixtures;
    Path live;
    TlsConfig config;

    @BeforeEach
    void certbotLayout() throws IOException {
        OpenSsl.assumeAvailable();
        fixtures = PemFixtures.generate(dir);
        live = Files.createDirectories(dir.resolve("live"));
        link("fullchain.pem", "rsa.crt");
        link("privkey.pem", "rsa-pkcs1.key");
        config = new TlsConfig(live.resolve("fullchain.pem"), live.resolve("privkey.pem"), null);
    }

    @Test
    void newConnectionsGetTheRenewedCertificateWhileOpenOnesKeepWorking() throws Exception {
        try (TlsContextProvider provider = TlsContextProvider.start(config, "mail.example.com", Duration.ofMillis(50));
             TlsEchoServer server = new TlsEchoServer(provider);
             SSLSocket before = TestTlsClient.connect(server.port())) {
            BigInteger oldSerial = TestTlsClient.peerCertificate(before).getSerialNumber();
            SslContext oldContext = provider.current();

            OpenSsl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "renewed.key");
            fixtures.selfSigned("renewed.key", "renewed.crt", "mail.example.com");
            link("fullchain.pem", "renewed.crt");
            link("privkey.pem", "renewed.key");
            Eventually.await("the renewed certificate is loaded", () -> provider.current() != oldContext);

            try (SSLSocket after = TestTlsClient.connect(server.port())) {
                assertThat(TestTlsClient.peerCertificate(after).getSerialNumber()).isNotEqualTo(oldSerial);
                assertThat(TestTlsClient.peerCertificate(after).getPublicKey().getAlgorithm()).isEqualTo("EC");
                assertEchoes(after, "new\r\n");
            }
            assertEchoes(before, "still here\r\n");
        }
    }

    @Test
    void aBadNewPairIsLoggedAndTheOldCertificateStays() throws Exception {
        try (LogCapture log = new LogCapture(TlsContextProvider.class);
             TlsContextProvider provider = TlsContextProvider.start(config, "mail.example.com", Duration.ofMillis(50))) {
            SslContext oldContext = provider.current();

            link("privkey.pem", "other.key");
            Eventually.await("the reload failure is logged",
                    () -> log.events().stream().anyMatch(event -> event.getLevel() == Level.ERROR));

            assertThat(provider.current()).isSameAs(oldContext);
            assertThat(log.events()).filteredOn(event -> event.getLevel() == Level.ERROR).singleElement()
                    .satisfies(event -> assertThat(event.getFormattedMessage())
                            .contains("not reloaded", "does not match the certificate", "privkey.pem"));
        }
    }

    @Test
    void startFailsWithTheProblemWhenTheConfiguredPairIsBad() {
        TlsConfig mismatched = new TlsConfig(dir.resolve("rsa.crt"), dir.resolve("other.key"), null);
        assertThatThrownBy(() -> TlsContextProvider.start(mismatched, "mail.example.com"))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("does not match");
    }

    /** Points live/{@code name} at {@code target} with an atomic rename, as certbot does. */
    private void link(String name, String target) throws IOException {
        Path temporary = live.resolve(name + ".new");
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, dir.resolve(target));
        Files.move(temporary, live.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void assertEchoes(SSLSocket socket, String line) throws IOException {
        socket.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        assertThat(new String(socket.getInputStream().readNBytes(line.length()), StandardCharsets.US_ASCII))
                .isEqualTo(line);
    }
}

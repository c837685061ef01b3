package mailserver.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;

import io.netty.buffer.ByteBufAllocator;
import mailserver.core.config.TlsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes against a Netty server using the context built from openssl-made files. */
class ServerSslContextsTest {

    @TempDir
    static Path dir;
    static TlsContextProvider rsa;
    static TlsEchoServer rsaServer;

    @BeforeAll
    static void start() throws Exception {
        OpenSsl.assumeAvailable();
        PemFixtures.generate(dir);
        rsa = TlsContextProvider.start(new TlsConfig(dir.resolve("rsa.crt"), dir.resolve("rsa-pkcs1.key"), null),
                "mail.example.com");
        rsaServer = new TlsEchoServer(rsa);
    }

    @AfterAll
    static void stop() {
        if (rsaServer != null) {
            rsaServer.close();
            rsa.close();
        }
    }

    @Test
    void tls13HandshakeWorks() throws IOException {
        try (SSLSocket socket = TestTlsClient.connect(rsaServer.port(), "TLSv1.3")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertEchoes(socket);
        }
    }

    @Test
    void tls12HandshakeWorksWithForwardSecrecy() throws IOException {
        try (SSLSocket socket = TestTlsClient.connect(rsaServer.port(), "TLSv1.2")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_RSA_WITH_").contains("GCM");
            assertEchoes(socket);
        }
    }

    @Test
    void tls11IsRefusedByTheServer() {
        // openssl (seclevel 0) really offers TLS 1.1; a JDK client would refuse before asking.
        OpenSsl.Result result = OpenSsl.execute(dir, "", "s_client", "-connect", "127.0.0.1:" + rsaServer.port(),
                "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("alert protocol version");
    }

    @Test
    void ecCertificateWithSec1KeyHandshakes() throws Exception {
        try (TlsContextProvider ec = TlsContextProvider.start(
                     new TlsConfig(dir.resolve("ec.crt"), dir.resolve("ec-with-params.key"), null), "mail.example.com");
             TlsEchoServer server = new TlsEchoServer(ec);
             SSLSocket socket = TestTlsClient.connect(server.port(), "TLSv1.2")) {
            assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_ECDSA_WITH_");
            assertEchoes(socket);
        }
    }

    @Test
    void enablesOnlyModernProtocolsAndStrongSuites() {
        SSLEngine engine = rsa.current().newEngine(ByteBufAllocator.DEFAULT);

        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(engine.getNeedClientAuth()).isFalse();
        assertThat(engine.getWantClientAuth()).isFalse();
        List<String> suites = List.of(engine.getEnabledCipherSuites());
        assertThat(suites).isNotEmpty().allSatisfy(suite -> assertThat(suite)
                .doesNotContain("RC4", "3DES", "DES_", "NULL", "EXPORT", "anon", "CBC", "_MD5"));
        assertThat(suites).filteredOn(suite -> suite.contains("_WITH_"))
                .allSatisfy(suite -> assertThat(suite).containsAnyOf("TLS_ECDHE_", "TLS_DHE_"));
    }

    private static void assertEchoes(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("ping\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        byte[] reply = socket.getInputStream().readNBytes(6);
        assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("ping\r\n");
    }
}

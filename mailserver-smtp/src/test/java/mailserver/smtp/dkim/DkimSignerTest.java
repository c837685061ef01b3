package mailserver.smtp.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.DirectoryConfig;
import mailserver.core.net.NetworkRange;
import mailserver.smtp.command.MailParameters;
import mailserver.smtp.session.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which messages get a signature: who sent them and what their From field says. Whether the
 * signatures verify is DkimSigningTest's job (an independent verifier over the SMTP path).
 */
class DkimSignerTest {

    @TempDir
    static Path dir;
    static JdbcDirectory directory;
    static DkimSigner signer;

    @BeforeAll
    static void keys() throws Exception {
        directory = JdbcDirectory.open(new DirectoryConfig("jdbc:h2:file:" + dir.resolve("db") + "/directory;MODE=MariaDB;DATABASE_TO_LOWER=TRUE",
                "sa", "", true, Duration.ZERO, 2));
        directory.addDomain("example.org", "");
        directory.addDomain("bücher.example", "");
        DkimKeys.GeneratedKey key = DkimKeys.generate();
        directory.addDkimKey("example.org", "mail", key.privateKeyPem(), key.publicKey());
        directory.addDkimKey("bücher.example", "mail", key.privateKeyPem(), key.publicKey());
        signer = new DkimSigner(directory, List.of(NetworkRange.parse("192.0.2.0/24")));
    }

    @AfterAll
    static void close() {
        directory.close();
    }

    @Test
    void signsForAuthenticatedClientsAndTrustedNetworksOnly() throws Exception {
        Path m = message("From: alice@example.org\r\nSubject: x\r\n\r\nbody\r\n");
        assertThat(field(envelope("198.51.100.7", "alice@example.org"), m)).startsWith("DKIM-Signature: v=1; a=rsa-sha256;");
        assertThat(field(envelope("192.0.2.25", null), m)).contains("d=example.org;", "s=mail;").endsWith("\r\n");
        assertThat(field(envelope("198.51.100.7", null), m)).as("a stranger's mail").isEmpty();
    }

    @Test
    void theFromFieldNamesTheSigningDomain() throws Exception {
        Envelope ours = envelope("198.51.100.7", "alice@example.org");
        assertThat(field(ours, message("FROM: \"A, B\" <A@EXAMPLE.ORG>, b@example.org\r\n\r\nx\r\n"))).contains("d=example.org;");
        assertThat(field(ours, message("From: j@bücher.example\r\n\r\nx\r\n"))).as("IDN, A-label d=").contains("d=xn--bcher-kva.example;");
        assertThat(field(ours, message("From: a@example.org, b@other.example\r\n\r\nx\r\n"))).as("two domains").isEmpty();
        assertThat(field(ours, message("From: a@example.org\r\nFrom: b@other.example\r\n\r\nx\r\n"))).as("two fields").isEmpty();
        assertThat(field(ours, message("Sender: a@example.org\r\n\r\nx\r\n"))).as("no From").isEmpty();
        assertThat(field(ours, message("From: undisclosed\r\n\r\nx\r\n"))).as("no address").isEmpty();
        assertThat(field(ours, message("From: a@other.example\r\n\r\nx\r\n"))).as("not our domain").isEmpty();
        assertThat(field(ours, message("From: a@example.org\r\nSubject: no body"))).as("header only").contains("d=example.org;");
    }

    private static String field(Envelope envelope, Path message) {
        return new String(signer.headerFields(envelope, message), StandardCharsets.UTF_8);
    }

    private static Envelope envelope(String client, String user) {
        return new Envelope("Q1", Optional.empty(), MailParameters.NONE, List.of(), "client.example",
                new InetSocketAddress(client, 40000), Optional.ofNullable(user), Optional.empty(), Instant.now());
    }

    private static Path message(String text) throws Exception {
        return Files.write(Files.createTempFile(dir, "msg", ".eml"), text.getBytes(StandardCharsets.UTF_8));
    }
}

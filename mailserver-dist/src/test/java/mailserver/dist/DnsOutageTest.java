package mailserver.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.ConfigLoader;
import mailserver.core.config.MailserverConfig;
import mailserver.core.mail.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;

/**
 * A DNS server that never answers: port 25 sessions wait in their SPF check (a worker thread
 * each), and a logged-in user's IMAP LOGIN must still be served meanwhile.
 */
class DnsOutageTest {

    /** As long as a stuck check waits; the IMAP reply must come well before. */
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path folder;

    private DatagramSocket blackhole;
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    private MailServer server;
    private final List<Socket> strangers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        blackhole = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread swallow = new Thread(this::swallowQueries, "dns-blackhole");
        swallow.setDaemon(true);
        swallow.start();
        Path file = TestConfig.write(folder, TestConfig.freePorts());
        Files.writeString(file, Files.readString(file) + "smtp:\n  relay-networks: []\n"
                + "imap:\n  allow-plaintext-auth: true\n"
                + "dns:\n  servers: [\"127.0.0.1:" + blackhole.getLocalPort() + "\"]\n  timeout: "
                + DNS_TIMEOUT.toSeconds() + "s\n  retries: 0\n");
        MailserverConfig config = ConfigLoader.load(file);
        try (JdbcDirectory directory = JdbcDirectory.open(config.directory())) {
            directory.addDomain("example.test", "");
            directory.addAccount(MailAddress.parse("bob@example.test"), "bob-pw".toCharArray(), 0, "Bob");
        }
        server = MailServer.start(config);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket stranger : strangers) {
            stranger.close();
        }
        if (server != null) {
            server.shutdown(Duration.ofSeconds(1));
        }
        blackhole.close();
    }

    @Test
    void port25SessionsWaitingForDnsLeaveImapLoginsServed() throws Exception {
        // more than the server's worker threads (MailServer.workerThreads()), each stuck in an SPF lookup
        int stuck = Math.max(8, 4 * Runtime.getRuntime().availableProcessors()) + 2;
        for (int i = 0; i < stuck; i++) {
            Socket stranger = new Socket("127.0.0.1", server.boundPort("smtp"));
            strangers.add(stranger);
            stranger.getOutputStream().write(("HELO client.test\r\nMAIL FROM:<a@sender" + i + ".test>\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        long deadline = System.nanoTime() + DNS_TIMEOUT.toNanos() / 2;
        while (asked.size() < stuck - 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(asked.size()).as("SPF lookups under way, one per port 25 session").isGreaterThanOrEqualTo(stuck - 2);

        try (Socket imap = new Socket("127.0.0.1", server.boundPort("imap"))) {
            imap.setSoTimeout((int) DNS_TIMEOUT.toMillis() / 2);
            BufferedReader in = new BufferedReader(new InputStreamReader(imap.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = imap.getOutputStream();
            assertThat(in.readLine()).startsWith("* OK");
            out.write("a1 LOGIN bob@example.test bob-pw\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.startsWith("a1 "));
            assertThat(line).startsWith("a1 OK");
        }
    }

    private void swallowQueries() {
        byte[] buffer = new byte[4096];
        while (!blackhole.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                blackhole.receive(packet);
                asked.add(new Message(Arrays.copyOf(packet.getData(), packet.getLength())).getQuestion().getName().toString());
            } catch (IOException e) {
                // closed at the end of the test, or a packet dnsjava cannot read: not an SPF question
            }
        }
    }
}

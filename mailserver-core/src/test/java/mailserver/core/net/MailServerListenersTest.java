package mailserver.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import mailserver.core.config.ListenerConfig;
import mailserver.core.config.Protocol;
import mailserver.core.config.TlsConfig;
import mailserver.core.tls.Eventually;
import mailserver.core.tls.LogCapture;
import mailserver.core.tls.TlsContextProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaffolding with real sockets, driven by {@link EchoProtocol}. */
class MailServerListenersTest {

    static final ListenerLimits LIMITS = new ListenerLimits(100, 10, 64);

    @TempDir
    static Path tlsDir;
    static TlsContextProvider tls;
    static WorkerPool workers;

    EchoProtocol protocol;
    MailServerListeners listeners;

    @BeforeAll
    static void startTls() throws Exception {
        tls = TlsContextProvider.start(new TlsConfig(null, null, tlsDir), "localhost");
        workers = new WorkerPool(2, 10);
    }

    @AfterAll
    static void stopTls() {
        tls.close();
        workers.close();
    }

    @BeforeEach
    void newProtocol() {
        protocol = new EchoProtocol(workers);
    }

    @AfterEach
    void stop() {
        if (listeners != null) {
            listeners.close();
        }
    }

    @Test
    void echoesLinesWithTheirLineEndings() throws Exception {
        start(LIMITS, listener("smtp", false, 0));
        try (LineClient client = LineClient.plain(listeners.boundPort("smtp"))) {
            assertThat(client.readLine()).startsWith("+OK ready ");
            client.send("hello\r\nbare lf\nhalf");
            client.send(" a line\r\n");

            assertThat(client.readLine()).isEqualTo("hello\r\n");
            assertThat(client.readLine()).isEqualTo("bare lf\n");
            assertThat(client.readLine()).isEqualTo("half a line\r\n");
        }
    }

    @Test
    void anOverlongLineBecomesOneEventAndFramingGoesOn() throws Exception {
        start(LIMITS, listener("smtp", false, 0));
        try (LineClient client = LineClient.plain(listeners.boundPort("smtp"))) {
            client.readLine();
            client.send("x".repeat(200) + "\r\nnext\r\n");

            assertThat(client.readLine()).isEqualTo("500 line too long (max 64)\r\n");
            assertThat(client.readLine()).isEqualTo("next\r\n");
        }
    }

    @Test
    void implicitTlsListenerSpeaksTlsFromTheFirstByte() throws Exception {
        start(LIMITS, listener("submissions", true, 0));
        try (LineClient client = LineClient.tls(listeners.boundPort("submissions"))) {
            assertThat(client.readLine()).startsWith("+OK ready ");
            client.send("TLS?\r\n");
            assertThat(client.readLine()).isEqualTo("TLS yes TLSv1.3\r\n");
        }
    }

    @Test
    void startTlsDiscardsCommandsSentBeforeTheHandshake() throws Exception {
        start(LIMITS, listener("submission", false, 0));
        try (LineClient client = LineClient.plain(listeners.boundPort("submission"))) {
            client.readLine();
            client.send("TLS?\r\n");
            assertThat(client.readLine()).isEqualTo("TLS no\r\n");

            client.send("STARTTLS\r\nINJECTED\r\n");
            assertThat(client.readLine()).isEqualTo("+OK go ahead\r\n");
            client.startTls();
            client.send("TLS?\r\nafter\r\n");

            assertThat(client.readLine()).isEqualTo("TLS yes TLSv1.3\r\n");
            assertThat(client.readLine()).isEqualTo("after\r\n");
        }
        assertThat(protocol.received).containsExactly("TLS?\r\n", "STARTTLS\r\n", "TLS?\r\n", "after\r\n");
    }

    @Test
    void cleartextSentAfterTheStartTlsReplyNeverReachesTheProtocol() throws Exception {
        start(LIMITS, listener("submission", false, 0));
        try (LineClient client = LineClient.plain(listeners.boundPort("submission"))) {
            client.readLine();
            client.send("STARTTLS\r\n");
            assertThat(client.readLine()).isEqualTo("+OK go ahead\r\n");

            client.send("INJECTED\r\n");

            assertThat(client.readLine()).isNull(); // not a TLS record: the server drops the connection
        }
        assertThat(protocol.received).containsExactly("STARTTLS\r\n");
    }

    @Test
    void rawBytesArriveUnframedThenLinesAgain() throws Exception {
        start(LIMITS, listener("imap", false, 0));
        try (LineClient client = LineClient.plain(listeners.boundPort("imap"))) {
            client.readLine();
            client.send("RAW 10\r\nabc\r\ndefgh");
            client.send("tail\r\n");

            assertThat(client.readLine()).isEqualTo("GOT abc|defgh\r\n");
            assertThat(client.readLine()).isEqualTo("tail\r\n");
        }
    }

    @Test
    void suspendedInputKeepsPipelinedCommandsInOrderAndWorkersCarryTheSession() throws Exception {
        start(LIMITS, listener("smtp", false, 0));
        try (LogCapture log = new LogCapture(EchoProtocol.class);
             LineClient client = LineClient.plain(listeners.boundPort("smtp"))) {
            String sessionId = client.readLine().strip().substring("+OK ready ".length());
            client.send("SLOW\r\nafter\r\n");

            assertThat(client.readLine()).isEqualTo("DONE " + sessionId + " on-loop " + sessionId + "\r\n");
            assertThat(client.readLine()).isEqualTo("after\r\n");
            assertThat(sessionId).hasSize(SessionId.LENGTH);
            List<ILoggingEvent> events = log.events();
            assertThat(events).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("session started", "line: SLOW", "working in the pool", "line: after");
            assertThat(events).allSatisfy(event ->
                    assertThat(event.getMDCPropertyMap()).containsEntry(Connection.MDC_KEY, sessionId));
            assertThat(events).filteredOn(event -> event.getFormattedMessage().equals("working in the pool"))
                    .singleElement().satisfies(event -> assertThat(event.getThreadName()).startsWith("worker-"));
        }
    }

    @Test
    void refusesConnectionsOverThePerIpLimitWithTheProtocolsLine() throws Exception {
        start(new ListenerLimits(100, 2, 64), listener("pop3", false, 0));
        int port = listeners.boundPort("pop3");
        try (LineClient first = LineClient.plain(port)) {
            assertThat(first.readLine()).startsWith("+OK ready");
            try (LineClient second = LineClient.plain(port)) {
                assertThat(second.readLine()).startsWith("+OK ready");
                try (LineClient third = LineClient.plain(port)) {
                    assertThat(third.readLine()).isEqualTo("421 too many connections (PER_IP)\r\n");
                    assertThat(third.readLine()).isNull();
                }
            }
        }
        // Both closed: the count drops as soon as the server notices, and a new client gets in.
        Eventually.await("a new connection is admitted", () -> {
            try (LineClient again = LineClient.plain(port)) {
                return again.readLine().startsWith("+OK ready");
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(protocol.events).isEmpty();
    }

    @Test
    void refusesConnectionsOverTheListenerLimit() throws Exception {
        start(new ListenerLimits(1, 10, 64), listener("imap", false, 0));
        int port = listeners.boundPort("imap");
        try (LineClient first = LineClient.plain(port)) {
            assertThat(first.readLine()).startsWith("+OK ready");
            try (LineClient second = LineClient.plain(port)) {
                assertThat(second.readLine()).isEqualTo("421 too many connections (LISTENER_TOTAL)\r\n");
            }
        }
    }

    @Test
    void aPortInUseGivesOneClearLineAndClosesListenersAlreadyBound() throws Exception {
        int firstPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            firstPort = probe.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int busy = taken.getLocalPort();
            assertThatThrownBy(() -> start(LIMITS, listener("imap", false, firstPort), listener("smtp", false, busy)))
                    .isInstanceOf(ListenerBindException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + busy + " (listeners.smtp): port " + busy
                            + " is already in use");
        }
        try (ServerSocket again = new ServerSocket(firstPort, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(firstPort);
        }
    }

    @Test
    void permissionDeniedSaysHowToFixIt() {
        String message = MailServerListeners.bindFailure(listener("smtp", false, 25).listener(),
                new BindException("Permission denied"));
        assertThat(message).isEqualTo("cannot listen on 127.0.0.1:25 (listeners.smtp): permission denied;"
                + " run as root, grant CAP_NET_BIND_SERVICE, or change listeners.smtp.port");
    }

    @Test
    void logsWhereEachListenerListens() throws Exception {
        try (LogCapture log = new LogCapture(MailServerListeners.class)) {
            start(LIMITS, listener("submission", false, 0), listener("submissions", true, 0));
            assertThat(log.events()).filteredOn(event -> event.getLevel() == Level.INFO)
                    .extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "listening on 127.0.0.1:" + listeners.boundPort("submission") + " (submission, STARTTLS)",
                    "listening on 127.0.0.1:" + listeners.boundPort("submissions") + " (submissions, TLS)");
        }
    }

    @Test
    void shutdownTellsSessionsAndReturnsAfterTheGracePeriodEvenIfClientsStay() throws Exception {
        start(LIMITS, listener("smtp", false, 0));
        int port = listeners.boundPort("smtp");
        try (LineClient client = LineClient.plain(port)) {
            client.readLine();

            listeners.shutdown(Duration.ofMillis(300));
            listeners = null;

            assertThat(protocol.events).containsExactly("SHUTTING_DOWN");
            assertThat(client.readLine()).isEqualTo("421 shutting down\r\n");
            assertThat(client.readLine()).isNull();
        }
        assertThatThrownBy(() -> LineClient.plain(port)).isInstanceOf(IOException.class);
    }

    private void start(ListenerLimits limits, Binding... bindings) throws ListenerBindException {
        List<Binding> withLimits = Arrays.stream(bindings)
                .map(binding -> new Binding(binding.listener(), binding.protocol(), limits)).toList();
        listeners = MailServerListeners.bind(withLimits, tls);
    }

    private Binding listener(String name, boolean implicitTls, int port) {
        return new Binding(new ListenerConfig(name, Protocol.SMTP, implicitTls, true, "127.0.0.1", port), protocol, LIMITS);
    }
}

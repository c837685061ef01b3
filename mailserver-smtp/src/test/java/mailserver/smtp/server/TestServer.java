package mailserver.smtp.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import mailserver.core.config.ListenerConfig;
import mailserver.core.config.Protocol;
import mailserver.core.config.TlsConfig;
import mailserver.core.net.Binding;
import mailserver.core.net.MailServerListeners;
import mailserver.core.net.WorkerPool;
import mailserver.core.tls.TlsContextProvider;
import mailserver.smtp.session.FakeServices;
import mailserver.smtp.session.SmtpListenerSettings;
import mailserver.smtp.session.SmtpServices;

/**
 * The three SMTP listeners on free loopback ports, with the in-memory directory and sink of
 * {@link FakeServices}. Port 25's listener trusts no network, so loopback clients are treated
 * like strangers, and takes messages of up to {@link #MAX_MESSAGE_BYTES}.
 */
final class TestServer implements AutoCloseable {

    static final String HOSTNAME = "mx.example.org";
    static final long MAX_MESSAGE_BYTES = 64 * 1024;

    final FakeServices fakes = new FakeServices();
    final Path spool;
    private final TlsContextProvider tls;
    private final WorkerPool workers = new WorkerPool(4, 100);
    private final MailServerListeners listeners;

    TestServer(Path dir) throws Exception {
        spool = Files.createDirectories(dir.resolve("spool"));
        tls = TlsContextProvider.start(new TlsConfig(null, null, dir.resolve("tls")), HOSTNAME);
        SmtpServices services = fakes.services(spool);
        SmtpListenerSettings mx = SmtpListenerSettings.mx(HOSTNAME).withRelayNetworks(List.of())
                .withLimits(MAX_MESSAGE_BYTES, 1000, 20);
        listeners = MailServerListeners.bind(List.of(
                binding("smtp", false, mx, services),
                binding("submission", false, SmtpListenerSettings.submission(HOSTNAME), services),
                binding("submissions", true, SmtpListenerSettings.submissions(HOSTNAME), services)), tls);
    }

    private Binding binding(String name, boolean implicitTls, SmtpListenerSettings settings, SmtpServices services) {
        return new Binding(new ListenerConfig(name, Protocol.SMTP, implicitTls, true, "127.0.0.1", 0),
                new SmtpProtocol(settings, services, workers, Duration.ofSeconds(60)), SmtpProtocol.limits(50, 20));
    }

    int port(String listener) {
        return listeners.boundPort(listener);
    }

    /** The server's graceful shutdown, as on SIGTERM. */
    void shutdown(Duration grace) {
        listeners.shutdown(grace);
    }

    @Override
    public void close() {
        listeners.close();
        workers.close();
        tls.close();
    }
}

package mailserver.core.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.handler.ssl.SslContext;
import mailserver.core.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's current TLS context, reloaded when the certificate or key file changes, so a
 * Let's Encrypt renewal needs no restart. Each new connection asks {@link #current()} for its
 * handshake; open connections keep the context they started with.
 *
 * <p>The files are polled (real path, inode, size, mtime) rather than watched: a WatchService
 * misses certbot's symlink swaps. A change is loaded once it looks the same on two polls in a
 * row, so a pair replaced one file at a time is not read half-way. A new pair that cannot be
 * used is logged as an ERROR once and the old context stays.
 */
public final class TlsContextProvider implements AutoCloseable {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextProvider.class);

    private final CertificateFiles files;
    private final ScheduledExecutorService poller;
    private volatile SslContext current;
    // Only touched by the poller thread.
    private List<FileStamp> loadedStamps;
    private List<FileStamp> lastSeenStamps;

    private TlsContextProvider(CertificateFiles files, SslContext initial, List<FileStamp> stamps, Duration pollInterval) {
        this.files = files;
        this.current = initial;
        this.loadedStamps = stamps;
        this.lastSeenStamps = stamps;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        long millis = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Loads (or, without configured files, generates) the certificate and starts watching it. */
    public static TlsContextProvider start(TlsConfig config, String hostname) throws TlsException {
        return start(config, hostname, DEFAULT_POLL_INTERVAL);
    }

    public static TlsContextProvider start(TlsConfig config, String hostname, Duration pollInterval)
            throws TlsException {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
        }
        CertificateFiles files = config.selfSigned()
                ? SelfSignedCertificate.ensure(config.generatedDir(), hostname)
                : new CertificateFiles(config.certificate(), config.privateKey());
        List<FileStamp> stamps = stamps(files);
        CertifiedKey certifiedKey = PemFiles.load(files);
        SslContext context = ServerSslContexts.build(certifiedKey);
        LOG.info("TLS certificate {}", describe(certifiedKey, files.certificate()));
        return new TlsContextProvider(files, context, stamps, pollInterval);
    }

    /** The context new handshakes should use. */
    public SslContext current() {
        return current;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    private void poll() {
        try {
            List<FileStamp> now = stamps(files);
            if (now.equals(loadedStamps)) {
                lastSeenStamps = now;
                return;
            }
            if (!now.equals(lastSeenStamps)) {
                lastSeenStamps = now; // still changing: look again next time
                return;
            }
            loadedStamps = now;
            reload();
        } catch (RuntimeException e) {
            // The poller must outlive any surprise, or reloads would silently stop.
            LOG.error("TLS certificate reload failed unexpectedly", e);
        }
    }

    private void reload() {
        try {
            CertifiedKey certifiedKey = PemFiles.load(files);
            current = ServerSslContexts.build(certifiedKey);
            LOG.info("TLS certificate reloaded: {}", describe(certifiedKey, files.certificate()));
        } catch (TlsException e) {
            LOG.error("TLS certificate not reloaded, still using the previous one: {}", e.getMessage());
        }
    }

    private static List<FileStamp> stamps(CertificateFiles files) {
        return List.of(FileStamp.of(files.certificate()), FileStamp.of(files.privateKey()));
    }

    private static String describe(CertifiedKey certifiedKey, Path file) {
        return certifiedKey.leaf().getSubjectX500Principal().getName()
                + " serial " + certifiedKey.leaf().getSerialNumber().toString(16)
                + " valid until " + certifiedKey.leaf().getNotAfter().toInstant()
                + " from " + file;
    }
}

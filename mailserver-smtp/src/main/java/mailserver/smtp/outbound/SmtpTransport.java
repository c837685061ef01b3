package mailserver.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.netty.util.concurrent.DefaultThreadFactory;
import mailserver.core.config.OutboundConfig;
import mailserver.core.dns.DnsResolver;
import mailserver.smtp.outbound.RecipientOutcome.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers over SMTP, like Postfix's smtp(8): routes the destination ({@link Router}, DNS on a
 * worker thread), then talks to the servers found, in order, on the client's own event loops
 * (connection reuse, STARTTLS, AUTH to the relayhost, pipelining, per-recipient outcomes).
 * The returned futures complete on a client event loop, or on a routing thread when no server
 * was contacted; whoever chains work on them must not block.
 */
public final class SmtpTransport implements OutboundTransport {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpTransport.class);
    private static final int SCAN_BUFFER = 64 * 1024;

    private final Router router;
    private final SmtpClient client;
    private final ExecutorService routing =
            Executors.newCachedThreadPool(new DefaultThreadFactory("smtp-out-route", true));
    private volatile boolean closed;

    public SmtpTransport(OutboundConfig config, DnsResolver dns) {
        this.router = new Router(config, dns);
        this.client = new SmtpClient(config);
    }

    @Override
    public CompletableFuture<List<RecipientOutcome>> deliver(OutboundMessage message) {
        if (closed) {
            return CompletableFuture.completedFuture(all(message, Status.DEFERRED, "4.3.0", "mail system is shutting down"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> prepare(message), routing)
                    .thenCompose(prepared -> prepared)
                    .exceptionally(error -> {
                        LOG.error("{}: delivery to {} failed unexpectedly", message.queueId(), message.domain(), error);
                        return all(message, Status.DEFERRED, "4.3.0", "internal error: " + error);
                    });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.completedFuture(all(message, Status.DEFERRED, "4.3.0", "mail system is shutting down"));
        }
    }

    /** On a routing thread: DNS, and a scan of the message for 8-bit octets, both blocking. */
    private CompletableFuture<List<RecipientOutcome>> prepare(OutboundMessage message) {
        Route route = router.route(message.domain());
        if (route.failure() != null) {
            Route.Failure failure = route.failure();
            return CompletableFuture.completedFuture(all(message, failure.status(), failure.dsnCode(), failure.diagnostic()));
        }
        boolean eightBitData;
        try {
            eightBitData = message.eightBit() || message.smtpUtf8() || hasEightBitOctets(message.content());
        } catch (IOException e) {
            return CompletableFuture.completedFuture(all(message, Status.DEFERRED, "4.3.0",
                    "cannot read the queued message " + message.content() + ": " + e.getMessage()));
        }
        return new Delivery(client, message, eightBitData, route.hops()).start();
    }

    /** A message the client sent without BODY=8BITMIME may still carry 8-bit octets; they decide as much. */
    static boolean hasEightBitOctets(Path content) throws IOException {
        byte[] buffer = new byte[SCAN_BUFFER];
        try (InputStream in = Files.newInputStream(content)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] < 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<RecipientOutcome> all(OutboundMessage message, Status status, String dsnCode, String diagnostic) {
        return message.recipients().stream()
                .map(r -> new RecipientOutcome(r.address(), status, "none", dsnCode, diagnostic, false, false))
                .toList();
    }

    /** Says QUIT on idle connections and stops the client threads; deliveries still running are cut off. */
    @Override
    public void close() {
        closed = true;
        routing.shutdownNow();
        client.close();
    }
}

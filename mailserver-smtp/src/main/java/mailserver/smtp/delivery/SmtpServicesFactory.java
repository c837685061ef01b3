package mailserver.smtp.delivery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import mailserver.auth.AuthService;
import mailserver.auth.directory.Directory;
import mailserver.smtp.dkim.MessageSigner;
import mailserver.smtp.queue.BounceInjector;
import mailserver.smtp.queue.QueueWriter;
import mailserver.smtp.session.SmtpServices;
import mailserver.store.MailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds what the SMTP listeners share from the server's directory, store and AuthService:
 * recipient and sender rules over the directory, AUTH through the AuthService, delivery into
 * Maildir and the outbound queue. One call in the wiring:
 * <pre>
 * SmtpServices services = SmtpServicesFactory.create(directory, store, maildirRoot, dataDir, authService, signer,
 *         onQueued);
 * BounceInjector bounces = SmtpServicesFactory.bounces(services, directory, hostname);
 * </pre>
 */
public final class SmtpServicesFactory {

    private static final Logger log = LoggerFactory.getLogger(SmtpServicesFactory.class);

    private SmtpServicesFactory() {
    }

    /**
     * Creates {@code dataDir/spool} and {@code dataDir/queue} if needed and removes what a
     * previous run left in the spool (messages whose transaction never got its 250).
     *
     * @param maildirRoot what the directory's {@code maildir} column is relative to
     */
    public static SmtpServices create(Directory directory, MailStore store, Path maildirRoot, Path dataDir,
            AuthService authService) throws IOException {
        return create(directory, store, maildirRoot, dataDir, authService, MessageSigner.NONE);
    }

    /** @param signer signs what goes into the outbound queue (DKIM); local copies stay as received */
    public static SmtpServices create(Directory directory, MailStore store, Path maildirRoot, Path dataDir,
            AuthService authService, MessageSigner signer) throws IOException {
        return create(directory, store, maildirRoot, dataDir, authService, signer, () -> { });
    }

    /** @param onQueued called after each new outbound queue entry, e.g. {@code QueueScheduler::wake} */
    public static SmtpServices create(Directory directory, MailStore store, Path maildirRoot, Path dataDir,
            AuthService authService, MessageSigner signer, Runnable onQueued) throws IOException {
        Path spool = Files.createDirectories(dataDir.resolve("spool"));
        emptySpool(spool);
        AccountMailboxes mailboxes = new AccountMailboxes(store, maildirRoot);
        Clock clock = Clock.systemDefaultZone();
        return new SmtpServices(
                new DirectoryRecipients(directory, mailboxes),
                new DirectorySenders(directory),
                (username, password, client) -> authService.authenticate(username, password, client, "smtp"),
                new DeliverySink(directory, mailboxes, new QueueWriter(dataDir.resolve("queue"), onQueued), signer, clock),
                spool,
                clock);
    }

    /**
     * Delivers the outbound queue's DSNs through {@code services}' sink, as mail from {@code <>};
     * from then on the sink's local deliveries send success DSNs the same way.
     */
    public static BounceInjector bounces(SmtpServices services, Directory directory, String hostname) {
        BounceDelivery bounces = new BounceDelivery(services.sink(), directory, hostname, services.clock());
        if (services.sink() instanceof DeliverySink sink) {
            sink.reportSuccessThrough(bounces, hostname);
        }
        return bounces;
    }

    private static void emptySpool(Path spool) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(spool)) {
            for (Path leftover : leftovers) {
                if (Files.isDirectory(leftover)) {
                    continue; // another protocol's spool (IMAP's spool/imap), in use by the same process
                }
                log.info("removing {}, a message whose transaction did not finish before the last stop", leftover);
                Files.deleteIfExists(leftover);
            }
        }
    }
}

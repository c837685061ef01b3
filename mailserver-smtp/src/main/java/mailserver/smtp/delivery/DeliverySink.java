package mailserver.smtp.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mailserver.auth.directory.AccountInfo;
import mailserver.auth.directory.Directory;
import mailserver.auth.directory.DirectoryException;
import mailserver.auth.directory.Resolution;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.command.BodyType;
import mailserver.smtp.command.DsnReturn;
import mailserver.smtp.command.OriginalRecipient;
import mailserver.smtp.command.RcptParameters;
import mailserver.smtp.dkim.MessageSigner;
import mailserver.smtp.queue.BounceInjector;
import mailserver.smtp.queue.DeliveryStatusNotification;
import mailserver.smtp.queue.DeliveryStatusNotification.Action;
import mailserver.smtp.queue.DeliveryStatusNotification.Reported;
import mailserver.smtp.queue.QueueEnvelope;
import mailserver.smtp.queue.QueueEnvelope.LastAttempt;
import mailserver.smtp.queue.QueueEnvelope.QueueRecipient;
import mailserver.smtp.queue.QueueWriter;
import mailserver.smtp.reply.Reply;
import mailserver.smtp.session.DeliveryResult;
import mailserver.smtp.session.DeliveryResult.Failure;
import mailserver.smtp.session.Envelope;
import mailserver.smtp.session.MessageSink;
import mailserver.smtp.session.Recipient;
import mailserver.store.Mailbox;
import mailserver.store.QuotaExceededException;
import mailserver.store.SpecialUse;
import mailserver.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a received message to where it goes. Each local recipient is resolved again (the
 * directory may have changed since RCPT); every account it leads to gets one copy in its Maildir
 * INBOX (Junk when DMARC asked for quarantine), with {@code Return-Path} and {@code Delivered-To} in front of the spooled message
 * (streamed from the spool file, never held in memory). Remote targets (forwarding aliases,
 * relayed recipients) go into one outbound queue entry. An account reached through several
 * recipients gets one copy, as Postfix's duplicate elimination does.
 *
 * <p>A recipient fails when any copy it needs fails: over quota and disk errors temporarily
 * (452 4.2.2 and 451 semantics), an address that no longer exists for good. Each copy leaves a
 * Postfix-style log line ({@code QUEUEID: to=<...>, orig_to=<...>, relay=..., status=...}).
 *
 * <p>A recipient with {@code NOTIFY=SUCCESS} whose copies all arrived in Maildir makes the sender
 * a {@code delivered} notification (RFC 3461 5.2.3), once {@link #reportSuccessThrough} was called;
 * a notification that cannot be sent is logged and never fails the delivery.
 */
final class DeliverySink implements MessageSink {

    private static final Logger log = LoggerFactory.getLogger(DeliverySink.class);
    private static final Reply TRY_LATER = Reply.of(451, "4.3.0", "Local error in processing, try again later");
    private static final Reply MAILBOX_FULL = Reply.of(452, "4.2.2", "Mailbox full");
    private static final Reply USER_UNKNOWN = Reply.of(550, "5.1.1", "User unknown");
    private static final String INBOX = "INBOX";
    private static final String JUNK = SpecialUse.JUNK.folderName();

    private final Directory directory;
    private final AccountMailboxes mailboxes;
    private final QueueWriter queue;
    private final MessageSigner signer;
    private final Clock clock;
    private volatile SuccessReports successReports;

    DeliverySink(Directory directory, AccountMailboxes mailboxes, QueueWriter queue, MessageSigner signer, Clock clock) {
        this.directory = directory;
        this.mailboxes = mailboxes;
        this.queue = queue;
        this.signer = signer;
        this.clock = clock;
    }

    /** Where success notifications go and the hostname they name. */
    private record SuccessReports(BounceInjector injector, String hostname) {
    }

    /**
     * Turns on {@code delivered} notifications. Set after construction because the injector
     * delivers through this very sink.
     */
    void reportSuccessThrough(BounceInjector injector, String hostname) {
        successReports = new SuccessReports(injector, hostname);
    }

    /** Where one message goes: accounts with the recipients that lead to each, and queue targets. */
    private static final class Plan {
        final Map<String, AccountInfo> accounts = new LinkedHashMap<>();
        final Map<String, List<Recipient>> accountRecipients = new LinkedHashMap<>();
        final Map<String, QueueRecipient> remote = new LinkedHashMap<>();
        final Map<String, List<Recipient>> remoteRecipients = new LinkedHashMap<>();
        final Map<Recipient, Failure> failures = new LinkedHashMap<>();

        void account(AccountInfo account, Recipient from) {
            String key = account.address().lookupKey();
            accounts.putIfAbsent(key, account);
            accountRecipients.computeIfAbsent(key, k -> new ArrayList<>()).add(from);
        }

        void remote(MailAddress target, Recipient from) {
            String key = target.lookupKey();
            remote.putIfAbsent(key, queueRecipient(target, from));
            remoteRecipients.computeIfAbsent(key, k -> new ArrayList<>()).add(from);
        }

        void fail(Recipient recipient, Reply reply, String reason) {
            failures.putIfAbsent(recipient, new Failure(recipient, reply, reason));
        }
    }

    @Override
    public DeliveryResult deliver(Envelope envelope, Path message) {
        Plan plan = new Plan();
        for (Recipient recipient : envelope.recipients()) {
            route(envelope, recipient, plan);
        }
        String returnPath = "Return-Path: <" + envelope.reversePath().map(MailAddress::toString).orElse("") + ">\r\n";
        List<QueueRecipient> delivered = new ArrayList<>();
        plan.accounts.forEach((key, account) -> {
            List<Recipient> recipients = plan.accountRecipients.get(key);
            String outcome = deliverLocally(account, envelope.quarantine() ? JUNK : INBOX, returnPath, message, recipients, plan);
            for (Recipient r : recipients) {
                log.info("{}: to=<{}>{}, relay=local, status={}", envelope.queueId(), account.address(),
                        r.address().lookupKey().equals(key) ? "" : ", orig_to=<" + r.address() + ">", outcome);
                delivered.add(queueRecipient(account.address(), r));
            }
        });
        if (!plan.remote.isEmpty()) {
            String outcome = enqueue(envelope, message, plan);
            plan.remote.forEach((key, target) -> log.info("{}: to=<{}>{}, relay=queue, status={}", envelope.queueId(),
                    target.address(), target.originalRecipient() == null ? "" : ", orig_to=<" + target.originalRecipient() + ">",
                    outcome));
        }
        reportSuccess(envelope, message, plan, delivered);
        return new DeliveryResult(List.copyOf(plan.failures.values()));
    }

    /**
     * Tells the sender of the copies that arrived for recipients that asked (NOTIFY=SUCCESS) and
     * did not fail otherwise; {@code delivered} holds every account copy made, as queue recipients
     * carrying the DSN parameters of the recipient that led to it.
     */
    private void reportSuccess(Envelope envelope, Path message, Plan plan, List<QueueRecipient> delivered) {
        SuccessReports reports = successReports;
        if (reports == null || envelope.reversePath().isEmpty()) {
            return;
        }
        List<QueueRecipient> wanted = delivered.stream()
                .filter(r -> r.notifyOn().contains("SUCCESS"))
                .filter(r -> plan.failures.keySet().stream().noneMatch(f -> sameCopy(r, f)))
                .toList();
        if (wanted.isEmpty()) {
            return;
        }
        QueueEnvelope about = queueEnvelope(envelope, wanted);
        String at = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
        List<Reported> reported = wanted.stream()
                .map(r -> new Reported(r, new LastAttempt(at, "2.0.0", "local", "delivered to maildir", false)))
                .toList();
        Path file = message.resolveSibling(message.getFileName() + ".success");
        try {
            boolean eightBit = new DeliveryStatusNotification(reports.hostname(), about, Action.DELIVERED, reported, message,
                    clock.instant()).writeTo(file);
            String id = reports.injector().inject(about.sender(), file, eightBit);
            log.info("{}: sender delivery status notification: {}", envelope.queueId(), id);
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot send the delivery status notification to <{}>", envelope.queueId(), about.sender(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", file, e.toString());
            }
        }
    }

    /** Is {@code copy} one made for {@code recipient}? */
    private static boolean sameCopy(QueueRecipient copy, Recipient recipient) {
        String from = copy.originalRecipient() == null ? copy.address() : copy.originalRecipient();
        return MailAddress.parse(from).lookupKey().equals(recipient.address().lookupKey());
    }

    private void route(Envelope envelope, Recipient recipient, Plan plan) {
        if (!recipient.local()) {
            plan.remote(recipient.address(), recipient);
            return;
        }
        Resolution resolution;
        try {
            resolution = directory.resolve(recipient.address());
        } catch (DirectoryException e) {
            log.warn("{}: cannot resolve <{}>: {}", envelope.queueId(), recipient.address(), e.getMessage());
            plan.fail(recipient, TRY_LATER, "directory lookup failed");
            return;
        }
        if (resolution.status() != Resolution.Status.LOCAL) {
            // Gone between RCPT and the end of the data: an admin removed the address or its domain.
            log.info("{}: to=<{}>, relay=none, status=bounced (no longer a local address)", envelope.queueId(), recipient.address());
            plan.fail(recipient, USER_UNKNOWN, "user unknown");
            return;
        }
        resolution.localAccounts().forEach(a -> plan.account(a, recipient));
        resolution.remoteTargets().forEach(t -> plan.remote(t, recipient));
    }

    /** One durable copy in the account's INBOX (or Junk); returns the status for the log. */
    private String deliverLocally(AccountInfo account, String folder, String returnPath, Path message, List<Recipient> recipients,
            Plan plan) {
        byte[] headers = (returnPath + "Delivered-To: " + account.address() + "\r\n").getBytes(StandardCharsets.UTF_8);
        try (InputStream content = new SequenceInputStream(new ByteArrayInputStream(headers), Files.newInputStream(message))) {
            Mailbox mailbox = mailboxes.open(account);
            if (folder.equals(JUNK)) {
                createJunk(mailbox);
            }
            mailbox.deliver(folder, content);
            return folder.equals(JUNK) ? "sent (delivered to maildir folder Junk, DMARC quarantine)" : "sent (delivered to maildir)";
        } catch (QuotaExceededException e) {
            recipients.forEach(r -> plan.fail(r, MAILBOX_FULL, "quota exceeded"));
            return "deferred (" + e.getMessage() + ")";
        } catch (IOException | RuntimeException e) {
            log.error("delivery to {} failed", account.address(), e);
            recipients.forEach(r -> plan.fail(r, TRY_LATER, "maildir delivery failed"));
            return "deferred (maildir delivery failed: " + e + ")";
        }
    }

    /**
     * IMAP creates the RFC 6154 folders at an account's first login (as Dovecot's auto=subscribe);
     * a quarantined message may come first, so Junk is created and subscribed here the same way.
     */
    private static void createJunk(Mailbox mailbox) throws IOException {
        try {
            mailbox.folder(JUNK);
        } catch (StoreException missing) {
            if (missing.reason() != StoreException.Reason.NOT_FOUND) {
                throw missing;
            }
            try {
                mailbox.createFolder(JUNK);
                mailbox.subscribe(JUNK);
            } catch (StoreException e) {
                if (e.reason() != StoreException.Reason.ALREADY_EXISTS) {
                    throw e; // else created meanwhile by an IMAP login or another delivery: fine
                }
            }
        }
    }

    /**
     * One queue entry for every remote target; returns the status for the log. Only this copy is
     * signed (DKIM): the signature goes in front of the message bytes, which are queued untouched.
     */
    private String enqueue(Envelope envelope, Path message, Plan plan) {
        QueueEnvelope entry = queueEnvelope(envelope, List.copyOf(plan.remote.values()));
        byte[] signature = signer.headerFields(envelope, message);
        try (InputStream content = new SequenceInputStream(new ByteArrayInputStream(signature), Files.newInputStream(message))) {
            queue.enqueue(entry, content);
            return "queued (outbound queue)";
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot write the queue entry", envelope.queueId(), e);
            plan.remoteRecipients.values().forEach(rs -> rs.forEach(r -> plan.fail(r, TRY_LATER, "queue write failed")));
            return "deferred (queue write failed: " + e + ")";
        }
    }

    private static QueueEnvelope queueEnvelope(Envelope envelope, List<QueueRecipient> recipients) {
        return new QueueEnvelope(QueueEnvelope.VERSION, envelope.queueId(),
                envelope.reversePath().map(MailAddress::toString).orElse(""),
                envelope.mailParameters().dsnReturn().map(DsnReturn::name).orElse(null),
                envelope.mailParameters().envelopeId().orElse(null),
                envelope.mailParameters().smtpUtf8(),
                envelope.mailParameters().body().map(BodyType::keyword).orElse(null),
                DateTimeFormatter.ISO_INSTANT.format(envelope.received()), 0,
                envelope.client().getAddress().getHostAddress(),
                envelope.authenticatedUser().orElse(null),
                recipients);
    }

    private static String orcpt(OriginalRecipient original) {
        return original.addressType() + ";" + original.address();
    }

    /**
     * The DSN parameters follow the recipient the client named; a target reached through an
     * alias gets that address as ORCPT unless the client gave one (RFC 3461 4.2).
     */
    private static QueueRecipient queueRecipient(MailAddress target, Recipient from) {
        RcptParameters p = from.parameters();
        boolean expanded = !target.lookupKey().equals(from.address().lookupKey());
        String orcpt = p.originalRecipient().map(DeliverySink::orcpt).orElse(null);
        if (orcpt == null && expanded) {
            orcpt = "rfc822;" + from.address();
        }
        return new QueueRecipient(target.toString(), p.notifyOn().stream().map(Enum::name).sorted().toList(), orcpt,
                expanded ? from.address().toString() : null);
    }
}

package mailserver.smtp.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mailserver.core.config.QueueConfig;
import mailserver.smtp.outbound.OutboundMessage;
import mailserver.smtp.outbound.OutboundRecipient;
import mailserver.smtp.outbound.OutboundTransport;
import mailserver.smtp.outbound.RecipientOutcome;
import mailserver.smtp.queue.DeliveryStatusNotification.Action;
import mailserver.smtp.queue.DeliveryStatusNotification.Reported;
import mailserver.smtp.queue.QueueEnvelope.LastAttempt;
import mailserver.smtp.queue.QueueEnvelope.QueueRecipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's qmgr: delivers the entries of the outbound queue through an {@link OutboundTransport}.
 * One thread decides what is due and starts deliveries, one {@link OutboundMessage} per entry
 * and destination domain, within the per-domain and total concurrency limits; the outcomes are
 * recorded on a small pool of its own (never on an event loop): sent recipients leave the
 * envelope, deferred ones get their next attempt time ({@link RetrySchedule}), bounced and
 * expired ones get a DSN to the sender ({@link DeliveryStatusNotification} through the
 * {@link BounceInjector}) and then leave the envelope; an entry without recipients is removed.
 *
 * <p>At least once: a recipient leaves the envelope only after its outcome is final and its DSN
 * durable, and the envelope on disk is rewritten atomically, so a crash at any point means at
 * worst a second delivery. New entries are picked up at once ({@link #wake}, called by the
 * {@link QueueWriter}); the folder is also read again every {@code scan-interval}, and the flush
 * requests of {@code mailserver queue flush|retry} are looked for every second.
 */
public final class QueueScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueScheduler.class);
    private static final Duration FLUSH_POLL = Duration.ofSeconds(1);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private final QueueStore store;
    private final OutboundTransport transport;
    private final BounceInjector bounces;
    private final RetrySchedule retries;
    private final QueueConfig config;
    private final String hostname;
    private final Clock clock;
    private final ExecutorService recorder;
    private final AtomicInteger dsnFiles = new AtomicInteger();
    /** Envelopes that did not decode: reported once, not read again by this process. Scheduler thread only. */
    private final Set<String> unreadable = new HashSet<>();

    // All below guarded by this.
    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, Integer> busyPerDomain = new HashMap<>();
    private int busy;
    private boolean wakeRequested;
    private boolean rescanRequested = true;
    private boolean running;
    private Thread thread;

    /** What the scheduler knows of one entry: its envelope as last written and the domains being delivered to. */
    private static final class Entry {
        QueueEnvelope envelope;
        final Set<String> busyDomains = new HashSet<>();

        Entry(QueueEnvelope envelope) {
            this.envelope = envelope;
        }
    }

    /** A delivery about to start. */
    private record Delivery(QueueEnvelope envelope, String domain, List<QueueRecipient> recipients) {
    }

    public QueueScheduler(QueueStore store, OutboundTransport transport, BounceInjector bounces, QueueConfig config,
            String hostname, Clock clock) {
        this.store = store;
        this.transport = transport;
        this.bounces = bounces;
        this.retries = RetrySchedule.of(config);
        this.config = config;
        this.hostname = hostname;
        this.clock = clock;
        this.recorder = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "queue-recorder");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Deletes messages a crash left without an envelope, then starts delivering, beginning with
     * what a previous run left. Call before anything writes to the queue.
     */
    public synchronized void start() throws IOException {
        for (String removed : store.removeIncomplete()) {
            log.info("removing {}, a queue write cut short before the last stop", removed);
        }
        running = true;
        thread = new Thread(this::run, "queue-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Looks at the queue folder again at once: a new entry is there. */
    public synchronized void wake() {
        rescanRequested = true;
        wakeRequested = true;
        notifyAll();
    }

    /** Stops starting deliveries and waits up to {@code grace} for those under way to be recorded. */
    public void shutdown(Duration grace) {
        Thread t;
        synchronized (this) {
            running = false;
            notifyAll();
            t = thread;
        }
        if (t != null) {
            try {
                t.join(grace.toMillis() + 1000);
                long deadline = System.nanoTime() + grace.toNanos();
                synchronized (this) {
                    while (busy > 0 && System.nanoTime() < deadline) {
                        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        recorder.shutdown();
        try {
            recorder.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    private void run() {
        Instant nextScan = Instant.MIN;
        while (true) {
            boolean scan;
            synchronized (this) {
                if (!running) {
                    return;
                }
                scan = rescanRequested || !clock.instant().isBefore(nextScan);
                rescanRequested = false;
            }
            try {
                if (scan) {
                    rescan();
                    nextScan = clock.instant().plus(config.scanInterval());
                }
                applyFlushRequests();
            } catch (IOException | RuntimeException e) {
                log.warn("cannot read the queue folder {}: {}", store.directory(), e.toString());
            }
            List<Delivery> deliveries;
            synchronized (this) {
                Instant now = clock.instant();
                deliveries = due(now);
                if (deliveries.isEmpty() && !wakeRequested && running) {
                    Instant wakeAt = earliest(nextDue(), nextScan, now.plus(FLUSH_POLL));
                    long millis = Math.max(1, Duration.between(now, wakeAt).toMillis());
                    try {
                        wait(millis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                wakeRequested = false;
            }
            deliveries.forEach(this::startDelivery);
        }
    }

    /** Adds the entries not known yet, forgets those removed (by {@code mailserver queue delete}). */
    private void rescan() throws IOException {
        List<String> ids = store.ids();
        Set<String> known;
        synchronized (this) {
            known = new HashSet<>(entries.keySet());
        }
        Map<String, QueueEnvelope> added = new LinkedHashMap<>();
        for (String id : ids) {
            if (!known.remove(id) && !unreadable.contains(id)) {
                try {
                    store.read(id).ifPresent(e -> added.put(id, e));
                } catch (IOException e) {
                    unreadable.add(id);
                    log.error("{}: unreadable queue envelope, left alone: {}", id, e.getMessage());
                }
            }
        }
        synchronized (this) {
            added.forEach((id, e) -> entries.putIfAbsent(id, new Entry(e)));
            for (String gone : known) {
                Entry e = entries.get(gone);
                if (e != null && e.busyDomains.isEmpty()) {
                    entries.remove(gone);
                }
            }
        }
    }

    private void applyFlushRequests() throws IOException {
        List<String> requests = store.takeFlushRequests();
        if (requests.isEmpty()) {
            return;
        }
        rescan();
        synchronized (this) {
            for (String id : requests) {
                if (id == null) {
                    entries.values().forEach(QueueScheduler::makeDue);
                } else if (entries.containsKey(id)) {
                    makeDue(entries.get(id));
                }
            }
        }
    }

    private static void makeDue(Entry e) {
        e.envelope = e.envelope.withRecipients(e.envelope.recipients().stream().map(r -> r.dueAt(null)).toList(),
                e.envelope.attempts());
    }

    /** The deliveries to start now, with their concurrency slots taken. */
    private List<Delivery> due(Instant now) {
        List<Delivery> deliveries = new ArrayList<>();
        if (!running) {
            return deliveries;
        }
        for (Entry e : entries.values()) {
            Map<String, List<QueueRecipient>> groups = new LinkedHashMap<>();
            for (QueueRecipient r : e.envelope.recipients()) {
                String domain = domain(r.address());
                if (!e.busyDomains.contains(domain) && (r.nextAttempt() == null || !Instant.parse(r.nextAttempt()).isAfter(now))) {
                    groups.computeIfAbsent(domain, d -> new ArrayList<>()).add(r);
                }
            }
            for (Map.Entry<String, List<QueueRecipient>> g : groups.entrySet()) {
                if (busy >= config.maxConcurrency()) {
                    return deliveries;
                }
                if (busyPerDomain.getOrDefault(g.getKey(), 0) >= config.destinationConcurrency()) {
                    continue;
                }
                busy++;
                busyPerDomain.merge(g.getKey(), 1, Integer::sum);
                e.busyDomains.add(g.getKey());
                deliveries.add(new Delivery(e.envelope, g.getKey(), g.getValue()));
            }
        }
        return deliveries;
    }

    /** When the next recipient not under way becomes due, or null. */
    private Instant nextDue() {
        Instant next = null;
        for (Entry e : entries.values()) {
            for (QueueRecipient r : e.envelope.recipients()) {
                if (r.nextAttempt() != null && !e.busyDomains.contains(domain(r.address()))) {
                    Instant at = Instant.parse(r.nextAttempt());
                    next = next == null || at.isBefore(next) ? at : next;
                }
            }
        }
        return next;
    }

    private void startDelivery(Delivery d) {
        QueueEnvelope env = d.envelope();
        Path content = store.messageFile(env.queueId());
        CompletableFuture<List<RecipientOutcome>> outcomes;
        try {
            OutboundMessage message = new OutboundMessage(env.queueId(), d.domain(), env.sender(),
                    d.recipients().stream().map(r -> new OutboundRecipient(r.address(), r.notifyOn(), r.orcpt())).toList(),
                    content, Files.size(content), "8BITMIME".equals(env.body()) || "BINARYMIME".equals(env.body()),
                    env.smtpUtf8(), env.envid(), env.ret());
            outcomes = transport.deliver(message);
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot start a delivery to {}", env.queueId(), d.domain(), e);
            outcomes = CompletableFuture.completedFuture(d.recipients().stream()
                    .map(r -> new RecipientOutcome(r.address(), RecipientOutcome.Status.DEFERRED, "none", "4.3.0",
                            "local error: " + e.getMessage(), false, false)).toList());
        }
        outcomes.whenComplete((result, error) -> {
            try {
                recorder.execute(() -> record(d, result, error));
            } catch (RejectedExecutionException stopping) {
                // Shut down meanwhile: the envelope on disk is unchanged, so the next start tries again.
                release(d, false, null);
            }
        });
    }

    /** Writes what became of a delivery into the envelope; on a worker of {@link #recorder}. */
    private void record(Delivery d, List<RecipientOutcome> result, Throwable error) {
        String id = d.envelope().queueId();
        Map<String, RecipientOutcome> outcomes = new HashMap<>();
        if (error == null && result != null) {
            result.forEach(o -> outcomes.put(o.address(), o));
        }
        for (QueueRecipient r : d.recipients()) {
            outcomes.computeIfAbsent(r.address(), a -> {
                log.error("{}: no outcome for <{}> from the transport", id, a, error);
                return new RecipientOutcome(a, RecipientOutcome.Status.DEFERRED, "none", "4.3.0",
                        "local error: delivery attempt failed", false, false);
            });
        }
        Optional<QueueEnvelope> after;
        try {
            after = store.locked(id, () -> apply(id, outcomes, clock.instant()));
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot record the delivery attempt; it will be repeated", id, e);
            release(d, false, null);
            return;
        }
        release(d, true, after.orElse(null));
    }

    /**
     * The envelope on disk with {@code outcomes} applied (it may have changed meanwhile, e.g.
     * deleted by an admin); empty once the entry is removed. Called under the entry's lock.
     */
    private Optional<QueueEnvelope> apply(String id, Map<String, RecipientOutcome> outcomes, Instant now) throws IOException {
        Optional<QueueEnvelope> current = store.read(id);
        if (current.isEmpty()) {
            log.info("{}: deleted from the queue while being delivered", id);
            return Optional.empty();
        }
        QueueEnvelope env = current.get();
        Instant arrival = Instant.parse(env.arrival());
        boolean expired = retries.expired(arrival, env.sender().isEmpty(), now);
        String delay = String.format(Locale.ROOT, "%.1f", Duration.between(arrival, now).toMillis() / 1000.0);
        List<QueueRecipient> remaining = new ArrayList<>();
        List<Reported> failed = new ArrayList<>();
        List<Reported> relayed = new ArrayList<>();
        for (QueueRecipient r : env.recipients()) {
            RecipientOutcome o = outcomes.get(r.address());
            if (o == null) {
                remaining.add(r);
                continue;
            }
            LastAttempt last = new LastAttempt(ISO.format(now), o.dsnCode(), o.relay(), o.diagnostic(), o.remoteDiagnostic());
            String status = switch (o.status()) {
                case SENT -> "sent";
                case BOUNCED -> "bounced";
                case DEFERRED -> expired ? "bounced" : "deferred";
            };
            String expiry = o.status() == RecipientOutcome.Status.DEFERRED && expired ? "; delivery time expired" : "";
            log.info("{}: to=<{}>{}, relay={}, delay={}, dsn={}, status={} ({}{})", id, r.address(),
                    r.originalRecipient() == null ? "" : ", orig_to=<" + r.originalRecipient() + ">",
                    o.relay(), delay, o.dsnCode(), status, o.diagnostic(), expiry);
            switch (status) {
                case "deferred" -> remaining.add(r.deferred(last, ISO.format(now.plus(retries.backoff(r.attempts() + 1)))));
                case "bounced" -> failed.add(new Reported(r, last));
                default -> {
                    // A next hop without DSN got no NOTIFY, so it falls to us to say the message left (RFC 3461 5.2.2).
                    if (!o.nextHopDsn() && DeliveryStatusNotification.wanted(env, r, Action.RELAYED)) {
                        relayed.add(new Reported(r, last));
                    }
                }
            }
        }
        warnOfDelay(env, remaining, arrival, now);
        // The message is gone: a lost success report is logged, not retried (that would send the message again).
        if (!relayed.isEmpty()) {
            notifySender(env, Action.RELAYED, relayed, now);
        }
        List<Reported> reported = failed.stream()
                .filter(f -> DeliveryStatusNotification.wanted(env, f.recipient(), Action.FAILED)).toList();
        if (!reported.isEmpty() && !notifySender(env, Action.FAILED, reported, now)) {
            // Not durable, so these recipients stay and the report is tried again with their next attempt.
            reported.forEach(f -> remaining.add(f.recipient().deferred(f.attempt(),
                    ISO.format(now.plus(retries.backoff(f.recipient().attempts() + 1))))));
        }
        if (remaining.isEmpty()) {
            store.remove(id);
            log.info("{}: removed", id);
            return Optional.empty();
        }
        QueueEnvelope next = env.withRecipients(remaining, env.attempts() + 1);
        store.write(next);
        return Optional.of(next);
    }

    /**
     * Postfix's delay_warning_time: the recipients still waiting after at least one attempt that
     * want it and were not warned yet get their sender one {@code delayed} DSN once the message is
     * {@code delay-warning} old. Checked when an attempt is recorded, as Postfix checks at its
     * queue runs; a warning that cannot be sent is tried again at the next recording.
     *
     * @param waiting the recipients staying in the envelope; those warned now are marked so
     */
    private void warnOfDelay(QueueEnvelope env, List<QueueRecipient> waiting, Instant arrival, Instant now) {
        Duration warning = config.delayWarning();
        if (warning.isZero() || now.isBefore(arrival.plus(warning))) {
            return;
        }
        List<Reported> due = waiting.stream()
                .filter(r -> r.last() != null && !r.delayWarned() && DeliveryStatusNotification.wanted(env, r, Action.DELAYED))
                .map(r -> new Reported(r, r.last()))
                .toList();
        if (!due.isEmpty() && notifySender(env, Action.DELAYED, due, now)) {
            waiting.replaceAll(r -> due.stream().anyMatch(d -> d.recipient() == r) ? r.warnedOfDelay() : r);
        }
    }

    /** Sends the sender a DSN about {@code recipients}; false when it could not be made durable. */
    private boolean notifySender(QueueEnvelope env, Action action, List<Reported> recipients, Instant now) {
        Path file = store.tmpDirectory().resolve(env.queueId() + "-" + dsnFiles.incrementAndGet() + ".dsn");
        // Postfix's words, so log summaries keep working.
        String kind = switch (action) {
            case FAILED -> "non-delivery notification";
            case DELAYED -> "delay notification";
            case DELIVERED, RELAYED -> "delivery status notification";
        };
        try {
            boolean eightBit = new DeliveryStatusNotification(hostname, env, action, recipients,
                    store.messageFile(env.queueId()), now).writeTo(file);
            String dsnId = bounces.inject(env.sender(), file, eightBit);
            log.info("{}: sender {}: {}", env.queueId(), kind, dsnId);
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot send the {} to <{}>", env.queueId(), kind, env.sender(), e);
            return false;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", file, e.toString());
            }
        }
    }

    /**
     * Frees the delivery's slots.
     *
     * @param recorded whether the outcomes were written
     * @param after    the entry as recorded, null when it was removed
     */
    private synchronized void release(Delivery d, boolean recorded, QueueEnvelope after) {
        busy--;
        busyPerDomain.computeIfPresent(d.domain(), (k, n) -> n <= 1 ? null : n - 1);
        String id = d.envelope().queueId();
        Entry e = entries.get(id);
        if (e != null) {
            e.busyDomains.remove(d.domain());
            if (!recorded) {
                // Outcome not recorded: wait as after a deferral rather than retrying at once.
                String later = ISO.format(clock.instant().plus(retries.minBackoff()));
                e.envelope = e.envelope.withRecipients(e.envelope.recipients().stream()
                        .map(r -> d.recipients().stream().anyMatch(x -> x.address().equals(r.address())) ? r.dueAt(later) : r)
                        .toList(), e.envelope.attempts());
            } else if (after == null) {
                entries.remove(id);
            } else {
                e.envelope = after;
            }
        }
        wakeRequested = true;
        notifyAll();
    }

    static String domain(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private static Instant earliest(Instant... candidates) {
        Instant min = null;
        for (Instant c : candidates) {
            if (c != null && (min == null || c.isBefore(min))) {
                min = c;
            }
        }
        return min;
    }
}

package mailserver.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import mailserver.core.config.QueueConfig;
import mailserver.smtp.outbound.OutboundMessage;
import mailserver.smtp.outbound.OutboundTransport;
import mailserver.smtp.outbound.RecipientOutcome;
import mailserver.smtp.outbound.RecipientOutcome.Status;
import mailserver.smtp.queue.QueueEnvelope.QueueRecipient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler against a scripted transport and a clock the test moves. */
class QueueSchedulerTest {

    private static final Instant START = Instant.parse("2025-06-03T10:00:00Z");
    private static final QueueConfig CONFIG = new QueueConfig(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5),
            Duration.ofDays(2), 20, 100, Duration.ofMinutes(1), Duration.ZERO);

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(START);
    private final FakeTransport transport = new FakeTransport();
    private final List<String> bounces = new CopyOnWriteArrayList<>();
    private final Map<String, String> bounceTexts = new ConcurrentHashMap<>();
    private QueueScheduler scheduler;
    private QueueWriter writer;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.shutdown(Duration.ofSeconds(2));
        }
    }

    private void start(QueueConfig config) throws IOException {
        QueueStore store = new QueueStore(dir);
        BounceInjector injector = (recipient, message, eightBit) -> {
            bounceTexts.put(recipient + "#" + bounces.size(), Files.readString(message));
            bounces.add(recipient);
            return "DSN" + bounces.size();
        };
        scheduler = new QueueScheduler(store, transport, injector, config, "mail.example.org", clock);
        writer = new QueueWriter(dir, scheduler::wake);
        scheduler.start();
    }

    private void enqueue(String id, String sender, QueueRecipient... recipients) throws IOException {
        writer.enqueue(new QueueEnvelope(QueueEnvelope.VERSION, id, sender, null, null, false, null, START.toString(), 0,
                "192.0.2.1", null, List.of(recipients)), new ByteArrayInputStream("Subject: t\r\n\r\nbody\r\n".getBytes()));
    }

    private static QueueRecipient to(String address, String... notify) {
        return new QueueRecipient(address, List.of(notify), null, null);
    }

    private Path envelopeFile(String id) {
        return dir.resolve(id + ".json");
    }

    private QueueEnvelope onDisk(String id) throws IOException {
        return QueueFormat.decode(Files.readAllBytes(envelopeFile(id)));
    }

    @Test
    void recipientsAreGroupedPerDomainAndTheEntryRemovedOnceAllAreSent() throws Exception {
        transport.answer = m -> outcomes(m, Status.SENT, "2.0.0", "250 2.0.0 Ok");
        start(CONFIG);

        enqueue("Q1", "alice@example.org", to("a@one.example"), to("b@two.example"), to("c@ONE.example"));

        await(() -> !Files.exists(envelopeFile("Q1")));
        assertThat(transport.messages).hasSize(2);
        assertThat(transport.messages).anySatisfy(m -> {
            assertThat(m.domain()).isEqualTo("one.example");
            assertThat(m.recipients()).extracting(r -> r.address()).containsExactly("a@one.example", "c@ONE.example");
        });
        assertThat(dir.resolve("Q1.eml")).doesNotExist();
        assertThat(bounces).isEmpty();
    }

    @Test
    void aDeferredRecipientIsTriedAgainAfterTheBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        transport.answer = m -> calls.incrementAndGet() == 1
                ? outcomes(m, Status.DEFERRED, "4.7.1", "451 4.7.1 Greylisted")
                : outcomes(m, Status.SENT, "2.0.0", "250 2.0.0 Ok");
        start(CONFIG);

        enqueue("Q2", "alice@example.org", to("a@one.example"));
        await(() -> transport.messages.size() == 1 && onDisk("Q2").attempts() == 1);
        QueueRecipient deferred = onDisk("Q2").recipients().get(0);
        assertThat(deferred.attempts()).isEqualTo(1);
        assertThat(deferred.nextAttempt()).isEqualTo(START.plus(Duration.ofMinutes(5)).toString());
        assertThat(deferred.last().diagnostic()).isEqualTo("451 4.7.1 Greylisted");
        assertThat(deferred.last().remote()).isTrue();

        clock.set(START.plus(Duration.ofMinutes(4)));
        scheduler.wake();
        clock.set(START.plus(Duration.ofMinutes(5)));
        scheduler.wake();

        await(() -> !Files.exists(envelopeFile("Q2")));
        assertThat(transport.messages).hasSize(2);
        assertThat(bounces).isEmpty();
    }

    @Test
    void aBouncedRecipientGetsItsSenderADsnUnlessNotifyNeverOrNullSender() throws Exception {
        transport.answer = m -> outcomes(m, Status.BOUNCED, "5.1.1", "550 5.1.1 User unknown");
        start(CONFIG);

        enqueue("Q3", "alice@example.org", to("x@one.example"));
        enqueue("Q4", "alice@example.org", to("y@one.example", "NEVER"));
        enqueue("Q5", "", to("z@one.example"));

        await(() -> !Files.exists(envelopeFile("Q3")) && !Files.exists(envelopeFile("Q4")) && !Files.exists(envelopeFile("Q5")));
        assertThat(bounces).containsExactly("alice@example.org");
        String dsn = bounceTexts.values().iterator().next();
        assertThat(dsn).contains("Final-Recipient: rfc822; x@one.example\r\n", "Status: 5.1.1\r\n",
                "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n");
    }

    @Test
    void aDestinationNeverReachedIsBouncedAtExpiry() throws Exception {
        transport.answer = m -> outcomes(m, Status.DEFERRED, "4.4.1", "connect to one.example: Connection refused");
        start(CONFIG);

        enqueue("Q6", "alice@example.org", to("x@one.example"));
        await(() -> transport.messages.size() == 1 && onDisk("Q6").attempts() == 1);
        for (int i = 2; Files.exists(envelopeFile("Q6")); i++) {
            clock.set(Instant.parse(onDisk("Q6").recipients().get(0).nextAttempt()));
            scheduler.wake();
            int attempt = i;
            await(() -> !Files.exists(envelopeFile("Q6")) || onDisk("Q6").attempts() == attempt);
        }

        assertThat(clock.instant()).isAfterOrEqualTo(START.plus(Duration.ofDays(5)));
        assertThat(bounces).containsExactly("alice@example.org");
        assertThat(bounceTexts.values().iterator().next()).contains("Status: 4.4.1\r\n", "Action: failed\r\n",
                "Connection refused");
    }

    @Test
    void noMoreDeliveriesToADestinationAtOnceThanItsLimit() throws Exception {
        List<CompletableFuture<List<RecipientOutcome>>> held = new CopyOnWriteArrayList<>();
        transport.async = m -> {
            CompletableFuture<List<RecipientOutcome>> f = new CompletableFuture<>();
            held.add(f);
            return f;
        };
        start(new QueueConfig(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5), Duration.ofDays(2), 2, 3,
                Duration.ofMinutes(1), Duration.ZERO));

        for (int i = 0; i < 4; i++) {
            enqueue("S" + i, "alice@example.org", to("x@same.example"));
        }
        enqueue("T1", "alice@example.org", to("x@other.example"));
        enqueue("T2", "alice@example.org", to("x@third.example"));
        await(() -> held.size() == 3);
        scheduler.wake();
        assertThat(transport.messages).extracting(OutboundMessage::domain).containsOnlyOnce("other.example")
                .filteredOn("same.example"::equals).hasSize(2);

        while (Files.exists(envelopeFile("S3"))) {
            int before = held.size();
            held.forEach(f -> f.complete(outcomes(transport.messages.get(held.indexOf(f)), Status.SENT, "2.0.0", "250 ok")));
            await(() -> held.size() > before || !Files.exists(envelopeFile("S3")));
            assertThat(transport.maxInFlightPerDomain("same.example")).isLessThanOrEqualTo(2);
        }
        assertThat(transport.maxInFlight()).isLessThanOrEqualTo(3);
    }

    @Test
    void entriesLeftByAPreviousRunAreDeliveredAndHalfWrittenOnesRemoved() throws Exception {
        new QueueWriter(dir).enqueue(new QueueEnvelope(QueueEnvelope.VERSION, "OLD1", "alice@example.org", null, null, false,
                null, START.toString(), 0, "192.0.2.1", null, List.of(to("x@one.example"))),
                new ByteArrayInputStream("x\r\n".getBytes()));
        Files.writeString(dir.resolve("HALF1.eml"), "a write cut short");
        transport.answer = m -> outcomes(m, Status.SENT, "2.0.0", "250 ok");

        start(CONFIG);

        await(() -> !Files.exists(envelopeFile("OLD1")));
        assertThat(dir.resolve("HALF1.eml")).doesNotExist();
        assertThat(transport.messages).extracting(OutboundMessage::queueId).containsExactly("OLD1");
    }

    @Test
    void aFlushRequestMakesADeferredEntryDueAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        transport.answer = m -> calls.incrementAndGet() == 1
                ? outcomes(m, Status.DEFERRED, "4.4.1", "timeout")
                : outcomes(m, Status.SENT, "2.0.0", "250 ok");
        start(CONFIG);
        enqueue("Q7", "alice@example.org", to("x@one.example"));
        await(() -> transport.messages.size() == 1 && onDisk("Q7").attempts() == 1);

        new QueueStore(dir).requestFlush(Optional.of("Q7"));

        await(() -> !Files.exists(envelopeFile("Q7")));
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void aRecipientWithNotifySuccessRelayedToAHopWithoutDsnGetsItsSenderARelayedReport() throws Exception {
        transport.answer = m -> outcomes(m, Status.SENT, "2.0.0", "250 2.0.0 Ok", false);
        start(CONFIG);

        enqueue("Q8", "alice@example.org", to("a@one.example", "SUCCESS"), to("b@one.example"),
                to("c@one.example", "FAILURE"));

        await(() -> !Files.exists(envelopeFile("Q8")));
        assertThat(bounces).containsExactly("alice@example.org");
        String dsn = bounceTexts.values().iterator().next();
        assertThat(dsn).contains("Subject: Successful Mail Delivery Report", "Action: relayed", "Status: 2.0.0",
                "Final-Recipient: rfc822; a@one.example", "Remote-MTA: dns; mx.one.example")
                .doesNotContain("b@one.example", "c@one.example", "Action: failed");
    }

    @Test
    void aHopThatOfferedDsnGotNotifyAndReportsItself() throws Exception {
        transport.answer = m -> outcomes(m, Status.SENT, "2.0.0", "250 2.0.0 Ok", true);
        start(CONFIG);

        enqueue("Q9", "alice@example.org", to("a@one.example", "SUCCESS"));
        enqueue("Q10", "", to("b@one.example", "SUCCESS"));

        await(() -> !Files.exists(envelopeFile("Q9")) && !Files.exists(envelopeFile("Q10")));
        assertThat(bounces).isEmpty();
    }

    @Test
    void theNullSenderNeverGetsASuccessReport() throws Exception {
        transport.answer = m -> outcomes(m, Status.SENT, "2.0.0", "250 2.0.0 Ok", false);
        start(CONFIG);

        enqueue("Q11", "", to("b@one.example", "SUCCESS"));

        await(() -> !Files.exists(envelopeFile("Q11")));
        assertThat(bounces).isEmpty();
    }

    @Test
    void aSuccessReportThatCannotBeSentDoesNotKeepTheRecipient() throws Exception {
        transport.answer = m -> outcomes(m, Status.SENT, "2.0.0", "250 2.0.0 Ok", false);
        QueueStore store = new QueueStore(dir);
        scheduler = new QueueScheduler(store, transport, (recipient, message, eightBit) -> {
            throw new IOException("disk full");
        }, CONFIG, "mail.example.org", clock);
        writer = new QueueWriter(dir, scheduler::wake);
        scheduler.start();

        enqueue("Q12", "alice@example.org", to("a@one.example", "SUCCESS"));

        await(() -> !Files.exists(envelopeFile("Q12")));
        assertThat(transport.messages).hasSize(1);
    }

    @Test
    void aDelayWarningGoesOnceToSendersWhoWantItWhenTheEntryGetsOld() throws Exception {
        transport.answer = m -> outcomes(m, Status.DEFERRED, "4.4.1", "connect to one.example: Connection refused");
        start(new QueueConfig(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5), Duration.ofDays(2), 20, 100,
                Duration.ofMinutes(1), Duration.ofMinutes(10)));

        enqueue("Q13", "alice@example.org", to("a@one.example"), to("b@one.example", "FAILURE"), to("c@one.example", "DELAY"));
        await(() -> onDisk("Q13").attempts() == 1);
        assertThat(bounces).isEmpty();

        clock.set(START.plus(Duration.ofMinutes(10)));
        scheduler.wake();
        await(() -> onDisk("Q13").attempts() == 2);
        assertThat(bounces).containsExactly("alice@example.org");
        String dsn = bounceTexts.values().iterator().next();
        assertThat(dsn).contains("Subject: Delayed Mail (still being retried)", "Action: delayed", "Status: 4.4.1",
                "Final-Recipient: rfc822; a@one.example", "Final-Recipient: rfc822; c@one.example",
                "Content-Type: text/rfc822-headers").doesNotContain("b@one.example");
        assertThat(onDisk("Q13").recipients()).extracting(QueueRecipient::delayWarned).containsExactly(true, false, true);

        clock.set(START.plus(Duration.ofMinutes(30)));
        scheduler.wake();
        await(() -> onDisk("Q13").attempts() == 3);
        assertThat(bounces).hasSize(1);
    }

    @Test
    void noDelayWarningsByDefault() throws Exception {
        transport.answer = m -> outcomes(m, Status.DEFERRED, "4.4.1", "timeout");
        start(CONFIG);

        enqueue("Q14", "alice@example.org", to("a@one.example", "DELAY"));
        await(() -> onDisk("Q14").attempts() == 1);
        clock.set(START.plus(Duration.ofDays(1)));
        scheduler.wake();
        await(() -> onDisk("Q14").attempts() == 2);

        assertThat(bounces).isEmpty();
    }

    private static List<RecipientOutcome> outcomes(OutboundMessage m, Status status, String code, String diagnostic) {
        return outcomes(m, status, code, diagnostic, false);
    }

    private static List<RecipientOutcome> outcomes(OutboundMessage m, Status status, String code, String diagnostic,
            boolean nextHopDsn) {
        return m.recipients().stream().map(r -> new RecipientOutcome(r.address(), status,
                status == Status.DEFERRED && code.equals("4.4.1") ? "none" : "mx." + m.domain() + "[127.0.0.2]:25",
                code, diagnostic, !code.equals("4.4.1"), nextHopDsn)).toList();
    }

    private static void await(CheckedCondition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in time");
            }
            Thread.sleep(10);
        }
    }

    @FunctionalInterface
    private interface CheckedCondition {
        boolean holds() throws Exception;
    }

    /** Answers each delivery with {@link #answer}, or leaves it to the test with {@link #async}. */
    private static final class FakeTransport implements OutboundTransport {
        final List<OutboundMessage> messages = new CopyOnWriteArrayList<>();
        volatile Function<OutboundMessage, List<RecipientOutcome>> answer;
        volatile Function<OutboundMessage, CompletableFuture<List<RecipientOutcome>>> async;
        private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        private final Map<String, Integer> maxPerDomain = new ConcurrentHashMap<>();
        private final AtomicInteger total = new AtomicInteger();
        private volatile int maxTotal;

        @Override
        public CompletableFuture<List<RecipientOutcome>> deliver(OutboundMessage message) {
            messages.add(message);
            int now = inFlight.computeIfAbsent(message.domain(), d -> new AtomicInteger()).incrementAndGet();
            maxPerDomain.merge(message.domain(), now, Math::max);
            maxTotal = Math.max(maxTotal, total.incrementAndGet());
            CompletableFuture<List<RecipientOutcome>> result = async != null
                    ? async.apply(message) : CompletableFuture.completedFuture(answer.apply(message));
            return result.whenComplete((r, e) -> {
                inFlight.get(message.domain()).decrementAndGet();
                total.decrementAndGet();
            });
        }

        int maxInFlightPerDomain(String domain) {
            return maxPerDomain.getOrDefault(domain, 0);
        }

        int maxInFlight() {
            return maxTotal;
        }

        @Override
        public void close() {
        }
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package mailserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads delivering, appending, flagging and expunging on one folder while another process
 * delivers into it too: afterwards each surviving message is there exactly once, UIDs increase,
 * no UID was handed out twice, and nothing failed.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int OPERATIONS_PER_THREAD = 40;
    private static final int CHILD_DELIVERIES = 150;

    @TempDir
    Path root;

    @Test
    void threadsAndASecondProcessOnOneFolder() throws Exception {
        Path account = root.resolve("example.test/alice");
        MailStore store = new MailStore();
        Mailbox mailbox = store.open(account, Quota.UNLIMITED);
        Folder inbox = mailbox.folder("INBOX");
        Set<Long> flagEvents = ConcurrentHashMap.newKeySet();
        inbox.addListener(new ChangeListener() {
            @Override
            public void flagsChanged(Folder folder, List<MessageRef> changed) {
                changed.forEach(m -> flagEvents.add(m.uid()));
            }
        });

        Process child = DeliveryLoop.command(account, "child", CHILD_DELIVERIES).start();
        Map<String, Long> uidById = new ConcurrentHashMap<>();
        Set<String> expungedIds = ConcurrentHashMap.newKeySet();
        List<Long> handedOut = Collections.synchronizedList(new ArrayList<>());
        AtomicLong counter = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
                    String id = "t-" + counter.incrementAndGet();
                    AppendResult r = random.nextBoolean()
                            ? inbox.deliver(TestMessages.stream(id))
                            : inbox.append(TestMessages.stream(id), Flags.of(SystemFlag.DRAFT).withKeywords("kw" + random.nextInt(3)), null);
                    uidById.put(id, r.uid());
                    handedOut.add(r.uid());
                    List<MessageRef> now = inbox.sync().messages();
                    MessageRef target = now.get(random.nextInt(now.size()));
                    inbox.store(List.of(target.uid()), FlagUpdate.ADD, Flags.of(SystemFlag.SEEN), -1);
                    if (i % 5 == 4) {
                        String victim = "t-" + (1 + random.nextLong(counter.get()));
                        Long uid = uidById.get(victim);
                        if (uid != null && inbox.expunge(List.of(uid)).contains(uid)) {
                            expungedIds.add(victim);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        Set<String> childIds = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line; (line = out.readLine()) != null; ) {
                String[] parts = line.split(" ");
                childIds.add(parts[1]);
                handedOut.add(Long.parseLong(parts[2]));
            }
        }
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).isZero();
        assertThat(childIds).hasSize(CHILD_DELIVERIES);
        assertThat(new HashSet<>(handedOut)).as("no UID handed out twice").hasSize(handedOut.size());
        assertThat(flagEvents).isNotEmpty();

        // A fresh store, as another process would see the folder.
        Folder reopened = new MailStore().open(account, Quota.UNLIMITED).folder("INBOX");
        Map<String, Integer> counts = FolderContents.idCounts(reopened);
        assertThat(counts.values()).allMatch(n -> n == 1);
        Set<String> expected = new HashSet<>(uidById.keySet());
        expected.removeAll(expungedIds);
        expected.addAll(childIds);
        assertThat(counts.keySet()).isEqualTo(expected);
        assertThat(FolderContents.checkUidList(account)).hasSize(expected.size());
        assertThat(inbox.sync().messages()).extracting(MessageRef::uid)
                .isEqualTo(reopened.sync().messages().stream().map(MessageRef::uid).toList());
    }
}
